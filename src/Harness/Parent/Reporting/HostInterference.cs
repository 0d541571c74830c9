using ShmIpc.Harness.Parent.HostLoad;

namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>
/// How much CPU something other than the harness took during a row's window, in percent of one core: the
/// hypervisor's steal, and the busy time of the host's CPUs that none of the harness's three processes (parent,
/// sender, receiver) account for. Above <see cref="NoisyAbovePercent"/> the row's figures measured the host too.
/// </summary>
internal sealed record HostInterference(double StolenPercent, double OtherProcessesPercent)
{
    /// <summary>More interference than this (percent of one core) makes a row noisy.</summary>
    public const double NoisyAbovePercent = 5;

    public double TotalPercent => StolenPercent + OtherProcessesPercent;

    public bool Noisy => TotalPercent > NoisyAbovePercent;

    /// <summary>
    /// From the host's CPU times at the window's edges and the CPU seconds the harness's own processes used in it.
    /// Tick-granular (10 ms), so the other processes' share is clamped at zero rather than going negative.
    /// </summary>
    public static HostInterference Over(WindowLoad load, double harnessCpuSeconds)
    {
        double seconds = load.Seconds > 0 ? load.Seconds : 1;
        double busy = (load.End.BusyTicks - load.Start.BusyTicks) / HostCpuTimes.TicksPerSecond;
        double stolen = (load.End.StolenTicks - load.Start.StolenTicks) / HostCpuTimes.TicksPerSecond;
        double others = Math.Max(0, busy - harnessCpuSeconds - load.ParentCpuSeconds);
        return new HostInterference(stolen / seconds * 100, others / seconds * 100);
    }
}
