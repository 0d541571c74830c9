namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>
/// What the jitter probe before the run saw (<see cref="HostLoad.JitterProbe"/>): per probing thread, stalls over
/// 10 µs per second, the share of its time lost to them, and the longest.
/// </summary>
internal sealed record JitterProbeResult(double Seconds, int Threads, double StallsPerSecond, double LostPercent, long MaxStallNs);
