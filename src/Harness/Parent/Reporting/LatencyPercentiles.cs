namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>Latency percentiles in nanoseconds, from intended send time to after the last field was read.</summary>
internal sealed record LatencyPercentiles(long P50, long P90, long P99, long P999, long P9999, long Max, double Mean, long Count);
