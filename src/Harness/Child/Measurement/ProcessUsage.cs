using System.Diagnostics;
using System.Runtime;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Child.Measurement;

/// <summary>
/// What this process had used at one instant: CPU time (user, system), bytes allocated by the
/// managed heap, garbage collections per generation, and methods the JIT had compiled (and its time). Two snapshots
/// around the measurement window give the rates the report shows. Taken on the control thread, never on a hot path.
/// </summary>
internal readonly record struct ProcessUsage(
    long TimestampNanoseconds,
    TimeSpan UserCpu,
    TimeSpan SystemCpu,
    long AllocatedBytes,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections,
    long JitCompiledMethods,
    TimeSpan JitTime)
{
    /// <summary>
    /// A snapshot for the start of a window: allocation is read last, so this snapshot's own
    /// allocations (the /proc read) fall before the window, not in it.
    /// </summary>
    public static ProcessUsage AtWindowStart()
    {
        (TimeSpan user, TimeSpan system) = CpuTimes();
        long jitted = JitInfo.GetCompiledMethodCount();
        TimeSpan jitTime = JitInfo.GetCompilationTime();
        return new ProcessUsage(MonotonicClock.NowNanoseconds(), user, system, GC.GetTotalAllocatedBytes(precise: true),
            GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), jitted, jitTime);
    }

    /// <summary>A snapshot for the end of a window: allocation is read first, for the same reason.</summary>
    public static ProcessUsage AtWindowEnd()
    {
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        long now = MonotonicClock.NowNanoseconds();
        long jitted = JitInfo.GetCompiledMethodCount();
        TimeSpan jitTime = JitInfo.GetCompilationTime();
        (TimeSpan user, TimeSpan system) = CpuTimes();
        return new ProcessUsage(now, user, system, allocated, GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), jitted, jitTime);
    }

    private static (TimeSpan User, TimeSpan System) CpuTimes()
    {
        using Process self = Process.GetCurrentProcess();
        return (self.UserProcessorTime, self.PrivilegedProcessorTime);
    }

    /// <summary>The usage between <paramref name="start"/> and this snapshot, as rates over the elapsed wall time.</summary>
    public UsageOverWindow Since(ProcessUsage start)
    {
        double seconds = Math.Max(1e-9, (TimestampNanoseconds - start.TimestampNanoseconds) / 1e9);
        double user = (UserCpu - start.UserCpu).TotalSeconds;
        double system = (SystemCpu - start.SystemCpu).TotalSeconds;
        return new UsageOverWindow(
            CpuPercent: 100 * (user + system) / seconds,
            AllocatedBytesPerSecond: (AllocatedBytes - start.AllocatedBytes) / seconds,
            Gen0Collections: Gen0Collections - start.Gen0Collections,
            Gen1Collections: Gen1Collections - start.Gen1Collections,
            Gen2Collections: Gen2Collections - start.Gen2Collections)
        {
            JitCompiledMethods = JitCompiledMethods - start.JitCompiledMethods,
            JitMilliseconds = (JitTime - start.JitTime).TotalMilliseconds,
        };
    }
}
