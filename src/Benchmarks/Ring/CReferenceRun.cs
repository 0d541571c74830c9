using System.Diagnostics;
using System.Globalization;

namespace ShmIpc.Benchmarks.Ring;

/// <summary>One run of the C ring from shared/tools/limits (<c>ring-lat SIZE RATE N spin</c> or <c>ring-tput SIZE SECS</c>).</summary>
internal readonly record struct CReferenceRun(string Line, double Figure)
{
    public static CReferenceRun Execute(string tool, RingBenchmarkOptions options, bool latency)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, UseShellExecute = false };
        string[] arguments = latency
            ? ["ring-lat", $"{options.Size}", $"{options.Rate}", $"{options.LatencySamples}", "spin"]
            : ["ring-tput", $"{options.Size}", options.Seconds.ToString(CultureInfo.InvariantCulture)];
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {tool}");
        string output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        string line = output.Split('\n')[^1];
        return new CReferenceRun(line, double.Parse(RingBenchmark.Field(line, latency ? "p50_ns" : "MB/s"), CultureInfo.InvariantCulture));
    }
}
