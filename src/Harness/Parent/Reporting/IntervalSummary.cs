namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>
/// One interval of a row's latency (or the sender's lateness) over time, in results.json: where it starts (seconds
/// from the window's start), how long it is, how many messages were due in it, and their p50, p99 and max (ns).
/// </summary>
internal sealed record IntervalSummary(double StartSeconds, double LengthSeconds, long Count, long P50Ns, long P99Ns, long MaxNs);
