using ShmIpc.Harness.Parent.Counters;
using ShmIpc.Harness.Parent.Reporting;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Tests.Parent.Counters;

public sealed class PerfStatTests
{
    /// <summary>What perf 6.1 printed on this machine (a KVM guest without a PMU) for a busy process.</summary>
    private const string VirtualMachineOutput = """
        <not supported>,,cycles,0,100.00,,
        <not supported>,,instructions,0,100.00,,
        <not supported>,,cache-misses,0,100.00,,
        464.59,msec,task-clock,464590000,100.00,0.232,CPUs utilized
        170,,context-switches,464590000,100.00,365.915,/sec
        5,,cpu-migrations,464590000,100.00,10.762,/sec
        111,,page-faults,464590000,100.00,238.920,/sec
        """;

    [Fact]
    public void WithoutHardwareCounters_TheSoftwareOnesRemain_AndANoteSaysWhy()
    {
        PerfCounters counters = PerfStat.Parse(VirtualMachineOutput);
        Assert.Equal(464.59, counters.Value("task-clock"));
        Assert.Equal(170, counters.Value("context-switches"));
        Assert.Equal(5, counters.Value("cpu-migrations"));
        Assert.Equal(111, counters.Value("page-faults"));
        Assert.Null(counters.Value("cycles"));
        Assert.Equal("not supported", counters.Counters.Single(counter => counter.Event == "cycles").Status);
        Assert.Null(counters.InstructionsPerCycle);
        Assert.Contains("hardware counters not supported", counters.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void WithHardwareCounters_ThereIsNoNote_AndIpcIsTheirRatio()
    {
        PerfCounters counters = PerfStat.Parse("""
            2000000000,,cycles,1000,100.00,2.000,GHz
            3000000000,,instructions,1000,100.00,1.50,insn per cycle
            1234,,cache-misses,1000,100.00,,
            1000.00,msec,task-clock,1000,100.00,1.0,CPUs utilized
            """);
        Assert.Null(counters.Note);
        Assert.Equal(1.5, counters.InstructionsPerCycle);
        Assert.Equal(1234, counters.Value("cache-misses"));
    }

    [Fact]
    public async Task WithoutPerf_TheRunGetsANote_NotAFailure()
    {
        PerfCounters counters = await PerfStat.MeasureAsync(Environment.ProcessId, MonotonicClock.NowNanoseconds(), TimeSpan.FromMilliseconds(100),
            CancellationToken.None, perf: "/nonexistent/perf");
        Assert.Empty(counters.Counters);
        Assert.StartsWith("perf not run: ", counters.Note, StringComparison.Ordinal);
    }
}
