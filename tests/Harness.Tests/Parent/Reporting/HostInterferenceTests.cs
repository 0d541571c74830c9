using ShmIpc.Harness.Parent.HostLoad;
using ShmIpc.Harness.Parent.Reporting;

namespace ShmIpc.Harness.Tests.Parent.Reporting;

public sealed class HostInterferenceTests
{
    /// <summary>A 2 s window in which the host's CPUs were busy for <paramref name="busySeconds"/> and the hypervisor stole <paramref name="stolenSeconds"/>.</summary>
    private static WindowLoad Window(double busySeconds, double stolenSeconds = 0, double parentSeconds = 0.01) => new(
        new HostCpuTimes(BusyTicks: 50_000, StolenTicks: 700),
        new HostCpuTimes(BusyTicks: 50_000 + (long)Math.Round(busySeconds * HostCpuTimes.TicksPerSecond), StolenTicks: 700 + (long)Math.Round(stolenSeconds * HostCpuTimes.TicksPerSecond)),
        Seconds: 2,
        ParentCpuSeconds: parentSeconds);

    [Fact]
    public void AWindowWhereOnlyTheHarnessRan_IsNotNoisy()
    {
        // Sender and receiver at 100 % each over 2 s: the host's 4.01 busy seconds are all the harness's.
        HostInterference quiet = HostInterference.Over(Window(busySeconds: 4.01), harnessCpuSeconds: 4);
        Assert.Equal(0, quiet.OtherProcessesPercent, precision: 6);
        Assert.Equal(0, quiet.StolenPercent);
        Assert.False(quiet.Noisy);
    }

    [Fact]
    public void AnotherProcessBusyInTheWindow_MakesItNoisy_WithTheFigure()
    {
        // The same harness, and 0.3 s more busy time over 2 s: another process took 15 % of a core.
        HostInterference busy = HostInterference.Over(Window(busySeconds: 4.31), harnessCpuSeconds: 4);
        Assert.Equal(15, busy.OtherProcessesPercent, precision: 6);
        Assert.True(busy.Noisy);
    }

    [Fact]
    public void StealAlone_MakesItNoisy()
    {
        HostInterference stolen = HostInterference.Over(Window(busySeconds: 4.01, stolenSeconds: 0.2), harnessCpuSeconds: 4);
        Assert.Equal(10, stolen.StolenPercent, precision: 6);
        Assert.Equal(10, stolen.TotalPercent, precision: 6);
        Assert.True(stolen.Noisy);
    }

    [Fact]
    public void TheVerdictFlips_JustAboveFivePercentOfACore()
    {
        Assert.False(HostInterference.Over(Window(busySeconds: 4.09), harnessCpuSeconds: 4).Noisy);
        Assert.True(HostInterference.Over(Window(busySeconds: 4.12), harnessCpuSeconds: 4).Noisy);
    }

    [Fact]
    public void TicksTheHarnessOvercounts_NeverMakeOtherProcessesNegative()
    {
        Assert.Equal(0, HostInterference.Over(Window(busySeconds: 3.9), harnessCpuSeconds: 4).OtherProcessesPercent);
    }
}
