using ShmIpc.Harness.Parent.HostLoad;

namespace ShmIpc.Harness.Tests.Parent.HostLoad;

public sealed class HostCpuTimesTests
{
    [Fact]
    public void Parse_AddsTheBusyFields_AndKeepsStealApart()
    {
        // user nice system idle iowait irq softirq steal guest guest_nice (guest is already inside user).
        HostCpuTimes times = HostCpuTimes.Parse("cpu  1000 20 300 90000 40 5 6 70 900 0");
        Assert.Equal(1000 + 20 + 300 + 5 + 6, times.BusyTicks);
        Assert.Equal(70, times.StolenTicks);
    }

    [Fact]
    public void Parse_RejectsAPerCpuLine()
    {
        Assert.Throws<FormatException>(() => HostCpuTimes.Parse("cpu0 1 2 3 4 5 6 7 8 9 10"));
    }

    [Fact]
    public void Read_ReadsThisHostsProcStat()
    {
        HostCpuTimes first = HostCpuTimes.Read();
        Assert.True(first.BusyTicks > 0);
    }
}
