namespace ShmIpc.Harness.Protocol;

/// <summary>One process's resource use over the measurement window. CPU percent is user + system time, of one core (200 = two cores busy).</summary>
internal sealed record UsageOverWindow(
    double CpuPercent,
    double AllocatedBytesPerSecond,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections)
{
    /// <summary>
    /// Methods the JIT compiled in this process during the window (any thread): each is CPU taken from the window on
    /// the CPU the process is pinned to. 0 when the warm-up ran every path the window runs.
    /// </summary>
    public long JitCompiledMethods { get; init; }

    /// <summary>The JIT's time for <see cref="JitCompiledMethods"/>, ms.</summary>
    public double JitMilliseconds { get; init; }

    /// <summary>The types allocated most in the window, bytes per second (only with <c>--alloc-sources</c>).</summary>
    public IReadOnlyList<AllocationSource>? AllocationSources { get; init; }
}
