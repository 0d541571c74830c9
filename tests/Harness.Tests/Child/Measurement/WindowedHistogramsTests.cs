using HdrHistogram;
using ShmIpc.Harness.Child.Measurement;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Tests.Child.Measurement;

public sealed class WindowedHistogramsTests
{
    private const long Second = LatencyIntervals.LengthNanoseconds;

    [Fact]
    public void OnlyWhatWasDueInsideTheWindow_IsKept_BySecond()
    {
        var window = new MeasurementWindow(10 * Second, 12 * Second);
        var kept = new WindowedHistograms(window.LengthNanoseconds);

        kept.Record(window, (10 * Second) - 1, 5_000); // warm-up: through the same code, then thrown away
        kept.Record(window, 10 * Second, 1_000);
        kept.Record(window, (11 * Second) + 5, 2_000);
        kept.Record(window, 12 * Second, 7_000); // after the window

        Assert.Equal(2, kept.Histogram.TotalCount);
        Assert.InRange(kept.Histogram.GetMaxValue(), 1_990, 2_010);
        Assert.Equal([1L, 1L], kept.Intervals.ToTransfer().Select(interval => interval.Histogram.Sum(pair => pair[1])));
    }
}
