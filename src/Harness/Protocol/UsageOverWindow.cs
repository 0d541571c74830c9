namespace ShmIpc.Harness.Protocol;

/// <summary>One process's resource use over the measurement window. CPU percent is user + system time, of one core (200 = two cores busy).</summary>
internal sealed record UsageOverWindow(
    double CpuPercent,
    double AllocatedBytesPerSecond,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections)
{
    /// <summary>The types allocated most in the window, bytes per second (only with <c>--alloc-sources</c>).</summary>
    public IReadOnlyList<AllocationSource>? AllocationSources { get; init; }
}
