using HdrHistogram;
using ShmIpc.Harness.Parent.Orchestration;
using ShmIpc.Harness.Parent.Reporting;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Tests.Parent.Orchestration;

public sealed class WorstConsumerTests
{
    [Fact]
    public void AFailedConsumer_StandsForTheRun_OverOneWithAHigherP99() =>
        Assert.Equal("lossy", Worst(Consumer("fast", TransportResult.StatusOk, lost: 0, p99: 9_000), Consumer("lossy", TransportResult.StatusFailed, lost: 3, p99: 10)));

    [Fact]
    public void ABacklogConsumer_StandsForTheRun_OverAnOkOneWithAHigherP99() =>
        Assert.Equal("queued", Worst(Consumer("calm", TransportResult.StatusOk, lost: 0, p99: 2_461_695), Consumer("queued", TransportResult.StatusBacklog, lost: 0, p99: 2_418_687)));

    [Fact]
    public void AmongOkConsumers_TheHighestP99_StandsForTheRun() =>
        Assert.Equal("slow", Worst(Consumer("fast", TransportResult.StatusOk, lost: 0, p99: 10), Consumer("slow", TransportResult.StatusOk, lost: 0, p99: 20), Consumer("mid", TransportResult.StatusOk, lost: 0, p99: 15)));

    [Fact]
    public void AmongFailedConsumers_TheOneThatLostMost_StandsForTheRun() =>
        Assert.Equal("most", Worst(Consumer("some", TransportResult.StatusFailed, lost: 2, p99: 50), Consumer("most", TransportResult.StatusFailed, lost: 7, p99: 10)));

    [Fact]
    public void NoConsumer_IsRefused() => Assert.Throws<ArgumentException>(() => WorstConsumer.Of([]));

    private static string Worst(params (TransportResult, LongHistogram, IReadOnlyList<IntervalHistogram>)[] consumers) =>
        WorstConsumer.Of(consumers).Row.Reason!;

    /// <summary>A consumer's row, named by its reason so the test can tell which one was chosen.</summary>
    private static (TransportResult, LongHistogram, IReadOnlyList<IntervalHistogram>) Consumer(string name, string status, long lost, long p99) => (
        new TransportResult
        {
            Transport = "shm-broadcast",
            Codec = "raw",
            PayloadBytes = 1024,
            Status = status,
            Reason = name,
            Lost = lost,
            LatencyNs = new LatencyPercentiles(p99 / 2, p99, p99, p99, p99, p99, p99 / 2, 100),
        },
        new LongHistogram(1_000_000_000, 3),
        []);
}
