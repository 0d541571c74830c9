using System.Diagnostics;

namespace ShmIpc.Harness.Measurement;

/// <summary>
/// What this process had used at one instant: CPU time (user, system), bytes allocated by the
/// managed heap, and garbage collections per generation. Two snapshots around the measurement
/// window give the rates the report shows. Taken on the control thread, never on a hot path.
/// </summary>
internal readonly record struct ProcessUsage(
    long TimestampNanoseconds,
    TimeSpan UserCpu,
    TimeSpan SystemCpu,
    long AllocatedBytes,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections)
{
    public static ProcessUsage Now()
    {
        using Process self = Process.GetCurrentProcess();
        return new ProcessUsage(
            MonotonicClock.NowNanoseconds(),
            self.UserProcessorTime,
            self.PrivilegedProcessorTime,
            GC.GetTotalAllocatedBytes(precise: false),
            GC.CollectionCount(0),
            GC.CollectionCount(1),
            GC.CollectionCount(2));
    }

    /// <summary>The usage between <paramref name="start"/> and this snapshot, as rates over the elapsed wall time.</summary>
    public UsageOverWindow Since(ProcessUsage start)
    {
        double seconds = Math.Max(1e-9, (TimestampNanoseconds - start.TimestampNanoseconds) / 1e9);
        double user = (UserCpu - start.UserCpu).TotalSeconds;
        double system = (SystemCpu - start.SystemCpu).TotalSeconds;
        return new UsageOverWindow(
            CpuPercent: 100 * (user + system) / seconds,
            UserCpuPercent: 100 * user / seconds,
            SystemCpuPercent: 100 * system / seconds,
            AllocatedBytesPerSecond: (AllocatedBytes - start.AllocatedBytes) / seconds,
            AllocatedBytes: AllocatedBytes - start.AllocatedBytes,
            Gen0Collections: Gen0Collections - start.Gen0Collections,
            Gen1Collections: Gen1Collections - start.Gen1Collections,
            Gen2Collections: Gen2Collections - start.Gen2Collections);
    }
}

/// <summary>One process's resource use over the measurement window. CPU percent is of one core (200 = two cores busy).</summary>
internal sealed record UsageOverWindow(
    double CpuPercent,
    double UserCpuPercent,
    double SystemCpuPercent,
    double AllocatedBytesPerSecond,
    long AllocatedBytes,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections);
