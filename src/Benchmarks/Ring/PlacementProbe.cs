using System.Diagnostics;
using System.Globalization;

namespace ShmIpc.Benchmarks.Ring;

/// <summary>
/// Where the host has put the two vCPUs right now: the one-way cache-line transfer time between CPU 0 and CPU 1 from
/// the C tool's <c>pingpong</c>, printed with each latency run. This machine kind's ring p50 flips between a fast mode
/// and one several times slower (the C ring's and ours alike); a far placement is one cause the probe shows, but not
/// the only one (docs/benchmarks.md), so it labels runs and does not filter them.
/// </summary>
internal static class PlacementProbe
{
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
}
