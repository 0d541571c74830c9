namespace ShmIpc.Harness.Protocol;

/// <summary>
/// One interval of a run's latency log as it crosses the process boundary: where it starts and how long it is (seconds
/// from the window's start; the last may be shorter), and its histogram as (value, count) pairs, nanoseconds.
/// </summary>
internal sealed record IntervalHistogram(double StartSeconds, double LengthSeconds, IReadOnlyList<long[]> Histogram);
