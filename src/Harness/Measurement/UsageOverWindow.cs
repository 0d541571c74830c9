namespace ShmIpc.Harness.Measurement;

/// <summary>One process's resource use over the measurement window. CPU percent is user + system time, of one core (200 = two cores busy).</summary>
internal sealed record UsageOverWindow(
    double CpuPercent,
    double AllocatedBytesPerSecond,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections);
