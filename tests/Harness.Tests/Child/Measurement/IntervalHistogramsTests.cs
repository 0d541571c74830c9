using ShmIpc.Harness.Child.Measurement;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Tests.Child.Measurement;

public sealed class IntervalHistogramsTests
{
    private const long Second = LatencyIntervals.LengthNanoseconds;

    [Fact]
    public void EachValue_LandsInTheIntervalItWasDueIn_AndTheLastIntervalIsWhatIsLeftOfTheWindow()
    {
        var intervals = new IntervalHistograms(windowNanoseconds: (5 * Second) / 2);
        intervals.Record(0, 1_000);
        intervals.Record(Second - 1, 2_000);
        intervals.Record(Second, 3_000_000);
        intervals.Record((2 * Second) + 1, 40_000);
        // Outside the window (before it, or past its last interval): nowhere.
        intervals.Record(-1, 7);
        intervals.Record(3 * Second, 7);

        IReadOnlyList<IntervalHistogram> transfer = intervals.ToTransfer();

        Assert.Equal([0.0, 1.0, 2.0], transfer.Select(interval => interval.StartSeconds));
        Assert.Equal([1.0, 1.0, 0.5], transfer.Select(interval => interval.LengthSeconds));
        Assert.Equal([2L, 1L, 1L], transfer.Select(interval => interval.Histogram.Sum(pair => pair[1])));
        Assert.InRange(transfer[1].Histogram.Single()[0], 2_970_000, 3_030_000);
    }

    [Fact]
    public void Add_MergesARecorderIntoTheTotals_IntervalByInterval()
    {
        var totals = new IntervalHistograms(2 * Second);
        var recorder = new IntervalHistograms(2 * Second);
        totals.Record(0, 1_000);
        recorder.Record(0, 1_000);
        recorder.Record(Second, 5_000);

        totals.Add(recorder);

        Assert.Equal([2L, 1L], totals.ToTransfer().Select(interval => interval.Histogram.Sum(pair => pair[1])));
    }
}
