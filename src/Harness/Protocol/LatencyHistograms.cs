using HdrHistogram;

namespace ShmIpc.Harness.Protocol;

/// <summary>The one histogram shape every latency figure uses.</summary>
internal static class LatencyHistograms
{
    /// <summary>Latencies from 1 ns to 60 s at 3 significant digits (0.1 % resolution).</summary>
    public const long HighestTrackableNanoseconds = 60_000_000_000;

    public const int SignificantDigits = 3;

    public static LongHistogram Create() => new(1, HighestTrackableNanoseconds, SignificantDigits);
}
