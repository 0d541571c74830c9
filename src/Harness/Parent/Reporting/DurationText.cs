using System.Globalization;

namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>A duration for people: its own unit (ns, µs, ms, s) and three significant digits.</summary>
internal static class DurationText
{
    public static string Of(long nanoseconds)
    {
        if (nanoseconds < 0)
        {
            return "-" + Of(-nanoseconds);
        }
        // Round to three significant digits before choosing the unit, so 999.6 µs reads "1.00 ms", not "1000 µs".
        long rounded = RoundToThreeDigits(nanoseconds);
        (double value, string unit) = rounded switch
        {
            < 1_000 => (rounded, "ns"),
            < 1_000_000 => (rounded / 1e3, "µs"),
            < 1_000_000_000 => (rounded / 1e6, "ms"),
            _ => (rounded / 1e9, "s"),
        };
        string format = value switch { < 10 when unit != "ns" => "0.00", < 100 when unit != "ns" => "0.0", _ => "0" };
        return value.ToString(format, CultureInfo.InvariantCulture) + " " + unit;
    }

    private static long RoundToThreeDigits(long nanoseconds)
    {
        long scale = 1;
        while (nanoseconds / scale >= 1_000)
        {
            scale *= 10;
        }
        return (nanoseconds + scale / 2) / scale * scale;
    }
}
