using System.Globalization;

namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>A duration for people: its own unit (ns, µs, ms, s) and three significant digits.</summary>
internal static class DurationText
{
    public static string Of(long nanoseconds)
    {
        (double value, string unit) = Math.Abs(nanoseconds) switch
        {
            < 1_000 => (nanoseconds, "ns"),
            < 1_000_000 => (nanoseconds / 1e3, "µs"),
            < 1_000_000_000 => (nanoseconds / 1e6, "ms"),
            _ => (nanoseconds / 1e9, "s"),
        };
        string format = Math.Abs(value) switch { < 10 => "0.00", < 100 => "0.0", _ => "0" };
        return value.ToString(format, CultureInfo.InvariantCulture) + " " + unit;
    }
}
