using HdrHistogram;

namespace ShmIpc.Harness.Protocol;

/// <summary>
/// Latency over time. The window is cut into intervals of <see cref="LengthNanoseconds"/>, and each message is recorded
/// twice: in the window's histogram and in the interval its intended send time falls in, so an interval holds the
/// messages the schedule offered in it, whenever they arrived (a backlog shows as rising latency, not as a shifted count).
/// Interval histograms keep 2 significant digits (1 %): enough to see a stall, a backlog or a drift, and small enough to
/// preallocate one per interval for every recorder, so recording allocates nothing.
/// </summary>
internal static class LatencyIntervals
{
    public const long LengthNanoseconds = 1_000_000_000;

    public const int SignificantDigits = 2;

    /// <summary>Intervals in a window of <paramref name="windowNanoseconds"/>: the last one may be shorter.</summary>
    public static int CountFor(long windowNanoseconds) => (int)Math.Max(1, (windowNanoseconds + LengthNanoseconds - 1) / LengthNanoseconds);

    public static LongHistogram Create() => new(1, LatencyHistograms.HighestTrackableNanoseconds, SignificantDigits);
}
