using System.Globalization;

namespace ShmIpc.Harness.Parent.HostLoad;

/// <summary>
/// The host's CPU time so far, all CPUs together, from the first line of <c>/proc/stat</c>, in clock ticks
/// (<see cref="TicksPerSecond"/>). Busy is what ran (user, nice, system, irq, softirq; guest time is already in
/// user); stolen is what the hypervisor gave to other guests while this one wanted to run.
/// </summary>
internal readonly record struct HostCpuTimes(long BusyTicks, long StolenTicks)
{
    /// <summary>USER_HZ: the unit of /proc/stat, 100 on every Linux the kernel's ABI promises it to userspace.</summary>
    public const double TicksPerSecond = 100;

    private const string StatPath = "/proc/stat";

    public static HostCpuTimes Read() => Parse(File.ReadLines(StatPath).First());

    /// <summary>Reads the aggregate line: <c>cpu user nice system idle iowait irq softirq steal guest guest_nice</c>.</summary>
    public static HostCpuTimes Parse(string aggregateLine)
    {
        string[] fields = aggregateLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 9 || fields[0] != "cpu")
        {
            throw new FormatException($"not the aggregate cpu line of {StatPath}: '{aggregateLine}'");
        }
        long Field(int index) => long.Parse(fields[index], NumberStyles.None, CultureInfo.InvariantCulture);
        return new HostCpuTimes(
            BusyTicks: Field(1) + Field(2) + Field(3) + Field(6) + Field(7),
            StolenTicks: Field(8));
    }
}
