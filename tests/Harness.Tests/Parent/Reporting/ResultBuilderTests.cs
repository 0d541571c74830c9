using ShmIpc.Harness.Parent.Reporting;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Tests.Parent.Reporting;

public sealed class ResultBuilderTests
{
    private static readonly RunSettings Settings = TestSettings.For(TransportKind.MessagePackTcp);

    private static readonly UsageOverWindow Usage = new(50, 1000, 1, 0, 0);

    private static SenderReport Sender(long sent, long unsent = 0) => new() { Sent = sent, SentInWindow = 2000, Unsent = unsent, WindowSeconds = 2, Usage = Usage };

    private static ReceiverReport Receiver(long unique, long receivedInWindow = 2000, long duplicates = 0, long contentErrors = 0) => new()
    {
        Received = unique + duplicates,
        ReceivedInWindow = receivedInWindow,
        BytesInWindow = receivedInWindow * 15_000,
        Unique = unique,
        Duplicates = duplicates,
        ContentErrors = contentErrors,
        WindowSeconds = 2,
        Histogram = [[10_000, 1500], [20_000, 500]],
        Usage = Usage,
    };

    private static TransportResult Build(SenderReport sender, ReceiverReport receiver) =>
        ResultBuilder.Build(Settings, sender, receiver, HistogramTransfer.FromPairs(receiver.Histogram));

    [Fact]
    public void EverythingDelivered_IsOk_WithRatesOverTheWindow()
    {
        TransportResult row = Build(Sender(3000), Receiver(3000));
        Assert.Equal(TransportResult.StatusOk, row.Status);
        Assert.Equal(1000, row.AchievedMsgPerSec);
        Assert.Equal(15, row.ThroughputMBps, 3);
        Assert.Equal(15_000, row.EncodedBytes);
        Assert.Equal(0, row.Errors);
        Assert.NotNull(row.LatencyNs);
        // 3 significant digits: a recorded value comes back within 0.1 %.
        Assert.InRange(row.LatencyNs.P50, 9_990, 10_010);
        Assert.InRange(row.LatencyNs.P99, 19_980, 20_020);
        Assert.Equal(2000, row.LatencyNs.Count);
    }

    [Fact]
    public void Allocation_IsPerMessage_OfEachSide_AndItsSampledSourcesToo()
    {
        // Sender: 2,000 sent in a 2 s window (1,000 msg/s); receiver: 1,500 in its window (750 msg/s).
        var sampled = new UsageOverWindow(50, 300_000, 1, 0, 0) { AllocationSources = [new AllocationSource("System.Threading.Tasks.Task", 150_000)] };
        TransportResult row = Build(Sender(3000) with { Usage = sampled }, Receiver(3000, receivedInWindow: 1500) with { Usage = sampled });

        Assert.Equal(300, row.AllocatedBytesPerMessage!.Sender);
        Assert.Equal(400, row.AllocatedBytesPerMessage.Receiver);
        Assert.Equal(150, Assert.Single(row.AllocationSources!.Sender).Bytes);
        Assert.Equal(200, Assert.Single(row.AllocationSources.Receiver).Bytes);
        Assert.Null(Build(Sender(3000), Receiver(3000)).AllocationSources);
    }

    [Fact]
    public void JitInsideTheWindow_IsEachSidesOwn()
    {
        TransportResult row = Build(
            Sender(3000) with { Usage = new UsageOverWindow(50, 0, 0, 0, 0) { JitCompiledMethods = 13, JitMilliseconds = 3.4 } },
            Receiver(3000) with { Usage = new UsageOverWindow(50, 0, 0, 0, 0) });

        Assert.Equal(new JitInWindow(13, 3.4), row.Jit!.Sender);
        Assert.Equal(new JitInWindow(0, 0), row.Jit.Receiver);
    }

    [Fact]
    public void LostMessages_FailTheRow_AndSaySo()
    {
        TransportResult row = Build(Sender(3000), Receiver(2990));
        Assert.Equal(TransportResult.StatusFailed, row.Status);
        Assert.Equal(10, row.Lost);
        Assert.Contains("10 lost", row.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicatesAndCorruption_FailTheRow()
    {
        Assert.Equal(TransportResult.StatusFailed, Build(Sender(3000), Receiver(3000, duplicates: 1)).Status);
        Assert.Equal(TransportResult.StatusFailed, Build(Sender(3000), Receiver(3000, contentErrors: 1)).Status);
    }

    [Fact]
    public void ASenderThatCouldNotKeepTheRate_IsBehind()
    {
        TransportResult unsent = Build(Sender(2500, unsent: 500), Receiver(2500));
        Assert.Equal(TransportResult.StatusBehind, unsent.Status);
        Assert.Contains("500 scheduled messages never sent", unsent.Reason, StringComparison.Ordinal);

        TransportResult slow = Build(Sender(3000), Receiver(3000, receivedInWindow: 1500));
        Assert.Equal(TransportResult.StatusBehind, slow.Status);
        Assert.Contains("750 of 1,000 msg/s", slow.Reason, StringComparison.Ordinal);
    }

    /// <summary>Two 1 s intervals of the window, each with <paramref name="count"/> messages at <paramref name="latencyNs"/>.</summary>
    private static IReadOnlyList<IntervalHistogram> Seconds(long count, params long[] latencyNs) =>
        [.. latencyNs.Select((latency, second) => new IntervalHistogram(second, 1, [[latency, count]]))];

    [Fact]
    public void ARowThatKeptTheRate_ButStartedWithAQueue_IsBacklog_NeverOk_AndCarriesItsFiguresOverTime()
    {
        // Every message delivered, at the offered rate, but the first second's messages waited 50 ms each.
        ReceiverReport receiver = Receiver(3000) with { Intervals = Seconds(1000, 50_000_000, 20_000) };
        TransportResult row = Build(Sender(3000) with { LatenessIntervals = Seconds(1000, 3_000, 3_000) }, receiver);

        Assert.Equal(TransportResult.StatusBacklog, row.Status);
        Assert.Contains("backlog from the warm-up: p50 50.0 ms", row.Reason, StringComparison.Ordinal);
        Assert.Equal([1000L, 1000L], row.LatencyOverTime!.Select(interval => interval.Count));
        Assert.InRange(row.LatencyOverTime![0].P50Ns, 49_950_000, 50_050_000);
        Assert.InRange(row.SendLatenessOverTime!.Single(interval => interval.StartSeconds == 1).MaxNs, 2_997, 3_003);
    }

    [Fact]
    public void ASenderThatRanLate_IsBehind_EvenWhenEveryMessageArrived()
    {
        TransportResult row = Build(Sender(3000) with { LatenessIntervals = Seconds(1000, 3_000, 40_000_000) }, Receiver(3000) with { Intervals = Seconds(1000, 20_000, 40_000_000) });

        Assert.Equal(TransportResult.StatusBehind, row.Status);
        Assert.Contains("the sender fell behind its schedule: lateness p50 40.0 ms in second 2 of 2", row.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Intervals_AreNotJudgedOnAFlatOutRow()
    {
        RunSettings flatOut = RunSettings.For(TransportKind.MessagePackTcp, 16 * 1024, TestSettings.Options(messagesPerSecond: null));
        ReceiverReport receiver = Receiver(3000) with { Intervals = Seconds(1000, 50_000_000, 50_000_000) };
        TransportResult row = ResultBuilder.Build(flatOut, Sender(3000), receiver, HistogramTransfer.FromPairs(receiver.Histogram));

        Assert.Equal(TransportResult.StatusOk, row.Status);
    }

    [Fact]
    public void RunMedian_TakesMedianFigures_AndTheWorstStatus()
    {
        TransportResult fast = Build(Sender(3000), Receiver(3000)) with { ThroughputMBps = 10 };
        TransportResult middle = fast with { ThroughputMBps = 20 };
        TransportResult failed = fast with { ThroughputMBps = 30, Status = TransportResult.StatusFailed, Reason = "1 lost" };
        TransportResult combined = RunMedian.Of([fast, failed, middle]);
        Assert.Equal(20, combined.ThroughputMBps);
        Assert.Equal(TransportResult.StatusFailed, combined.Status);
        // The reason's figures are the failed run's, not the medians beside it.
        Assert.Equal("in the worst of 3 runs, 1 lost", combined.Reason);
        Assert.Equal(3, combined.Runs);
    }
}
