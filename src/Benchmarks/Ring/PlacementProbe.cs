using System.Diagnostics;
using System.Globalization;

namespace ShmIpc.Benchmarks.Ring;

/// <summary>
/// Where the host has put the two vCPUs right now: the one-way cache-line transfer time between CPU 0 and CPU 1 from
/// the C tool's <c>pingpong</c>. This machine kind flips between a near placement and a far one (a several-fold
/// difference in the ring's p50, for the C ring and ours alike), so a ratio is only like for like between runs whose
/// probes agree.
/// </summary>
internal static class PlacementProbe
{
    /// <summary>Two probes are the same placement when neither is more than this factor above the other.</summary>
    public const double SamePlacementFactor = 1.5;

    private const int RoundTrips = 200_000;

    /// <summary>One-way p50 in ns (round trip / 2) from <c>TOOL pingpong N</c>.</summary>
    public static double OneWayNanoseconds(string tool)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("pingpong");
        start.ArgumentList.Add(RoundTrips.ToString(CultureInfo.InvariantCulture));
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {tool}");
        string output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        string line = output.Split('\n').LastOrDefault(l => l.StartsWith("pingpong one-way", StringComparison.Ordinal))
            ?? throw new FormatException($"{tool} pingpong printed no one-way line: '{output}'");
        return double.Parse(RingBenchmark.Field(line, "p50_ns"), CultureInfo.InvariantCulture);
    }

    public static bool SamePlacement(double a, double b) => Math.Max(a, b) <= SamePlacementFactor * Math.Min(a, b);
}
