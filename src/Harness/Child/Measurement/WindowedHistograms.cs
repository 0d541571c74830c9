using HdrHistogram;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Child.Measurement;

/// <summary>
/// Values kept by when they were due: inside the measurement window in <see cref="Histogram"/> and, by second, in
/// <see cref="Intervals"/>; outside it through the same code into histograms that are thrown away. So the window runs
/// no code the warm-up did not: code first run when the window opens would be compiled on the pinned CPU inside it.
/// One writer at a time; all made up front (no allocation on a record).
/// </summary>
internal sealed class WindowedHistograms
{
    private readonly LongHistogram _unmeasured = LatencyHistograms.Create();
    private readonly IntervalHistograms _unmeasuredIntervals = new(LatencyIntervals.LengthNanoseconds);

    public WindowedHistograms(long windowNanoseconds) => Intervals = new IntervalHistograms(windowNanoseconds);

    public LongHistogram Histogram { get; } = LatencyHistograms.Create();

    public IntervalHistograms Intervals { get; }

    /// <summary>Records <paramref name="value"/> (ns) for something due at <paramref name="dueNanoseconds"/>.</summary>
    public void Record(MeasurementWindow window, long dueNanoseconds, long value)
    {
        // One call site each, whichever the histograms: the JIT inlines (or not) per call site, so a second site used
        // only inside the window could still compile its callee there.
        bool measured = window.Contains(dueNanoseconds);
        (measured ? Histogram : _unmeasured).RecordValue(value);
        (measured ? Intervals : _unmeasuredIntervals).Record(measured ? dueNanoseconds - window.StartNanoseconds : 0, value);
    }
}
