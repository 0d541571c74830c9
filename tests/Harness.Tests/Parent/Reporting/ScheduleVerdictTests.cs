using ShmIpc.Harness.Parent.Reporting;

namespace ShmIpc.Harness.Tests.Parent.Reporting;

public sealed class ScheduleVerdictTests
{
    private const long Microsecond = 1_000;
    private const long Millisecond = 1_000_000;

    private static readonly IReadOnlyList<IntervalSummary> SenderOnTime = [Second(0, 5 * Microsecond), Second(1, 5 * Microsecond), Second(2, 5 * Microsecond)];

    private static IntervalSummary Second(int index, long p50Ns, long count = 1000) => new(index, 1, count, p50Ns, 2 * p50Ns, 3 * p50Ns);

    private static (string Status, string Reason)? Judge(IReadOnlyList<IntervalSummary> latency, double achieved = 1000, IReadOnlyList<IntervalSummary>? lateness = null) =>
        ScheduleVerdict.Judge(offered: 1000, achieved, latency, lateness ?? SenderOnTime);

    [Fact]
    public void ARowThatKeptItsSchedule_HasNoVerdict()
    {
        Assert.Null(Judge([Second(0, 20 * Microsecond), Second(1, 30 * Microsecond), Second(2, 25 * Microsecond)]));
    }

    [Fact]
    public void ASenderLateByAQueue_IsBehind_NamingTheSecond()
    {
        (string status, string reason) = Assert.NotNull(Judge(
            [Second(0, 20 * Microsecond), Second(1, 20 * Microsecond)],
            lateness: [Second(0, 5 * Microsecond), Second(1, 2 * Millisecond)]));
        Assert.Equal(TransportResult.StatusBehind, status);
        Assert.Contains("lateness p50 2.00 ms in second 2 of 2", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void MoreDeliveredThanOffered_IsABacklogBeingWorkedOff()
    {
        (string status, string reason) = Assert.NotNull(Judge([Second(0, 20 * Microsecond)], achieved: 1100));
        Assert.Equal(TransportResult.StatusBacklog, status);
        Assert.Contains("delivered 1,100 msg/s, more than the 1,000 offered", reason, StringComparison.Ordinal);

        // Within the kept-rate tolerance, a rate a little above the offered one is the clock, not a backlog.
        Assert.Null(Judge([Second(0, 20 * Microsecond)], achieved: 1010));
    }

    [Fact]
    public void AWindowThatStartsWithAQueue_IsABacklogFromTheWarmup()
    {
        (string status, string reason) = Assert.NotNull(Judge([Second(0, 5 * Millisecond), Second(1, 20 * Microsecond), Second(2, 20 * Microsecond)]));
        Assert.Equal(TransportResult.StatusBacklog, status);
        Assert.Contains("backlog from the warm-up: p50 5.00 ms in its first second", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AQueueThatFormsInTheWindow_IsABacklog_NamingTheSecond()
    {
        (string status, string reason) = Assert.NotNull(Judge([Second(0, 20 * Microsecond), Second(1, 3 * Millisecond), Second(2, 20 * Microsecond)]));
        Assert.Equal(TransportResult.StatusBacklog, status);
        Assert.Contains("p50 3.00 ms in second 2 of 3", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AStallThatDelayedUnderHalfASecond_IsABacklog_ThoughEveryMedianWasLow()
    {
        // Second 2: its median message on time, one in a hundred 300 ms late (a 0.4 s stall across two seconds).
        IntervalSummary stalled = new(1, 1, 1000, 60 * Microsecond, 300 * Millisecond, 400 * Millisecond);
        (string status, string reason) = Assert.NotNull(Judge([Second(0, 50 * Microsecond), stalled, Second(2, 50 * Microsecond)]));
        Assert.Equal(TransportResult.StatusBacklog, status);
        Assert.Contains("p99 300 ms in second 2 of 3, though its p50 was 60.0 µs", reason, StringComparison.Ordinal);

        // A tail of milliseconds (the host's stalls on a quiet transport) is not a queue.
        Assert.Null(Judge([Second(0, 50 * Microsecond), new IntervalSummary(1, 1, 1000, 60 * Microsecond, ScheduleVerdict.StallNanoseconds, 12 * Millisecond)]));
    }

    [Fact]
    public void LatencyThatRisesOverTheWindow_IsABacklog()
    {
        (string status, string reason) = Assert.NotNull(Judge([Second(0, 50 * Microsecond), Second(1, 100 * Microsecond), Second(2, 300 * Microsecond)]));
        Assert.Equal(TransportResult.StatusBacklog, status);
        Assert.Contains("rose over the window: p50 50.0 µs in the first second, 300 µs in the last", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ARiseBelowTheFloor_OrUnderTheFactor_IsNotABacklog()
    {
        // Ten times higher, but still under 100 µs: the noise of a quiet transport, not a queue.
        Assert.Null(Judge([Second(0, 5 * Microsecond), Second(1, 50 * Microsecond)]));
        // Above the floor, but exactly four times: not more than the factor.
        Assert.Null(Judge([Second(0, 50 * Microsecond), Second(1, 200 * Microsecond)]));
        Assert.NotNull(Judge([Second(0, 50 * Microsecond), Second(1, 201 * Microsecond)]));
    }

    [Fact]
    public void TheQueueThreshold_IsExclusive()
    {
        Assert.Null(Judge([Second(0, Millisecond), Second(1, Millisecond)]));
        Assert.Equal(TransportResult.StatusBacklog, Judge([Second(0, 20 * Microsecond), Second(1, Millisecond + 1)])?.Status);
        Assert.Null(Judge([Second(0, 20 * Microsecond)], lateness: [Second(0, Millisecond)]));
        Assert.Equal(TransportResult.StatusBehind, Judge([Second(0, 20 * Microsecond)], lateness: [Second(0, Millisecond + 1)])?.Status);
    }

    [Fact]
    public void IntervalsWithNoMessage_AreIgnored()
    {
        // The first second saw nothing (its p50 of 0 is no figure): the window starts with the second that did.
        IReadOnlyList<IntervalSummary> latency = [Second(0, 0, count: 0), Second(1, 5 * Millisecond), Second(2, 5 * Millisecond)];
        Assert.Contains("in its first second", Assert.NotNull(Judge(latency)).Reason, StringComparison.Ordinal);
        Assert.Null(Judge([Second(0, 0, count: 0), Second(1, 50 * Microsecond), Second(2, 150 * Microsecond)]));
        Assert.Null(Judge([]));
    }
}
