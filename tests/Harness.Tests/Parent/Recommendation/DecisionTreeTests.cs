using ShmIpc.Harness.Parent.Recommendation;
using ShmIpc.Harness.Parent.Reporting;
using ShmIpc.Harness.Tests.Parent.Reporting;

namespace ShmIpc.Harness.Tests.Parent.Recommendation;

public sealed class DecisionTreeTests
{
    private const long Microsecond = 1_000;

    private static TransportResult Row(string transport, string codec, long p99Ns, double interference = 0) => new()
    {
        Transport = transport,
        Codec = codec,
        PayloadBytes = 16384,
        AchievedMsgPerSec = 50_000,
        LatencyNs = new LatencyPercentiles(p99Ns / 4, p99Ns / 2, p99Ns, p99Ns * 2, p99Ns * 3, p99Ns * 4, p99Ns / 4, 1_000_000),
        Interference = new HostInterference(0, interference),
        Status = TransportResult.StatusOk,
    };

    private static readonly ComparisonReport Measured = ReportWriterTests.SampleReport() with
    {
        Results =
        [
            Row("shm", "raw", 9 * Microsecond),
            Row("grpc", "protobuf", 2_470 * Microsecond),
            Row("fb", "fb", 400 * Microsecond, interference: 30),
            Row("msgpack", "msgpack", 250 * Microsecond),
        ],
    };

    private static Constraints SameHostDotNet => new(SameHost: true, BothDotNet: true, SchemaEvolution: false, LatencyBudget: null, FanOut: 1);

    [Fact]
    public void SameHost_DotNetBothEnds_FixedSchema_IsTheRingWithRaw_CitingItsMeasuredP99()
    {
        Advice advice = DecisionTree.Recommend(SameHostDotNet with { LatencyBudget = TimeSpan.FromMicroseconds(50) }, Measured);
        Assert.Equal(("shm", "raw"), (advice.Transport, advice.Codec));
        Assert.Contains(advice.Reasons, reason => reason.Contains("p99 9.00 µs", StringComparison.Ordinal) && reason.Contains("50,000 msg/s", StringComparison.Ordinal));
        Assert.Contains(advice.Reasons, reason => reason.Contains("within the 50.0 µs budget", StringComparison.Ordinal));
    }

    [Fact]
    public void SameHost_WithAnEvolvingSchema_IsTheRingWithFlatBuffers_AndSaysItWasNotMeasured()
    {
        Advice advice = DecisionTree.Recommend(SameHostDotNet with { SchemaEvolution = true, FanOut = 4 }, Measured);
        Assert.Equal(("shm", "fb"), (advice.Transport, advice.Codec));
        Assert.Contains(advice.Reasons, reason => reason.Contains("fan-out 4", StringComparison.Ordinal));
        Assert.Contains(advice.Reasons, reason => reason.Contains("shm/fb was not measured", StringComparison.Ordinal));
    }

    [Fact]
    public void AcrossHosts_WithAnotherLanguage_IsGrpc_UnlessItsP99MissesTheBudgetAndFlatBuffersMeetsIt()
    {
        var across = new Constraints(SameHost: false, BothDotNet: false, SchemaEvolution: false, LatencyBudget: null, FanOut: 1);
        Assert.Equal(("grpc", "protobuf"), Pick(DecisionTree.Recommend(across, Measured)));

        Advice tight = DecisionTree.Recommend(across with { LatencyBudget = TimeSpan.FromMilliseconds(1) }, Measured);
        Assert.Equal(("fb", "fb"), Pick(tight));
        Assert.Contains(tight.Reasons, reason => reason.Contains("gRPC's measured p99 2.47 ms misses the budget", StringComparison.Ordinal));
        // The FlatBuffers row was measured while other work took 30 % of a core: the advice says so.
        Assert.Contains(tight.Reasons, reason => reason.Contains("noisy host (30% of a core", StringComparison.Ordinal));
    }

    [Fact]
    public void AcrossHosts_DotNetBothEnds_FixedSchema_IsMessagePackOverTcp()
    {
        Advice advice = DecisionTree.Recommend(SameHostDotNet with { SameHost = false }, Measured);
        Assert.Equal(("msgpack", "msgpack"), Pick(advice));
    }

    [Fact]
    public void AChoiceThatMissesTheBudget_NamesTheFastestAllowedRowThatMeetsIt()
    {
        ComparisonReport slowTcp = Measured with { Results = [.. Measured.Results.Select(row => row.Transport == "msgpack" ? Row("msgpack", "msgpack", 900 * Microsecond) : row)] };
        Advice advice = DecisionTree.Recommend(SameHostDotNet with { SameHost = false, LatencyBudget = TimeSpan.FromMicroseconds(500) }, slowTcp);
        Assert.Equal(("msgpack", "msgpack"), Pick(advice));
        Assert.Contains(advice.Reasons, reason => reason.Contains("its p99 900 µs misses the 500 µs budget", StringComparison.Ordinal));
        // shm (9 µs) is faster but needs one host: FlatBuffers over HTTP/2 is the one.
        Assert.Contains(advice.Reasons, reason => reason.Contains("within the budget and the constraints: fb/fb, p99 400 µs", StringComparison.Ordinal));
    }

    [Fact]
    public void WhenNothingAllowedMeetsTheBudget_TheAdviceSaysSo()
    {
        Advice advice = DecisionTree.Recommend(new Constraints(false, BothDotNet: true, SchemaEvolution: true, TimeSpan.FromMicroseconds(300), 1), Measured);
        Assert.Equal(("grpc", "protobuf"), Pick(advice));
        // msgpack (250 µs) meets it but has no schema to evolve.
        Assert.Contains(advice.Reasons, reason => reason.Contains("no measured row that meets the constraints is within the budget", StringComparison.Ordinal));
    }

    [Fact]
    public void WithoutResults_TheRulesAloneDecide_AndTheAdviceSaysSo()
    {
        Advice advice = DecisionTree.Recommend(SameHostDotNet, measured: null);
        Assert.Equal(("shm", "raw"), Pick(advice));
        Assert.Contains(advice.Reasons, reason => reason.Contains("no measured results given", StringComparison.Ordinal));
    }

    private static (string, string) Pick(Advice advice) => (advice.Transport, advice.Codec);
}
