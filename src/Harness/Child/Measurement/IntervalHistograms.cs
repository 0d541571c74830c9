using HdrHistogram;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Child.Measurement;

/// <summary>
/// One histogram per interval of the measurement window (<see cref="LatencyIntervals"/>), all made up front, so a
/// record is an index and a histogram increment (no allocation on the receive path). One writer at a time, like the
/// recorder that holds it.
/// </summary>
internal sealed class IntervalHistograms
{
    private readonly LongHistogram[] _intervals;
    private readonly long _windowNanoseconds;

    public IntervalHistograms(long windowNanoseconds)
    {
        _windowNanoseconds = windowNanoseconds;
        _intervals = new LongHistogram[LatencyIntervals.CountFor(windowNanoseconds)];
        for (int i = 0; i < _intervals.Length; i++)
        {
            _intervals[i] = LatencyIntervals.Create();
        }
    }

    /// <summary>Records <paramref name="value"/> in the interval <paramref name="offsetNanoseconds"/> into the window falls in (outside it: nowhere).</summary>
    public void Record(long offsetNanoseconds, long value)
    {
        // Division truncates toward zero: a negative offset must be refused before it, not after.
        long index = offsetNanoseconds / LatencyIntervals.LengthNanoseconds;
        if (offsetNanoseconds >= 0 && index < _intervals.Length)
        {
            _intervals[index].RecordValue(value);
        }
    }

    /// <summary>Adds every interval of <paramref name="other"/> (a recorder of the same window) into this one's.</summary>
    public void Add(IntervalHistograms other)
    {
        for (int i = 0; i < Math.Min(_intervals.Length, other._intervals.Length); i++)
        {
            _intervals[i].Add(other._intervals[i]);
        }
    }

    public IReadOnlyList<IntervalHistogram> ToTransfer() =>
    [
        .. _intervals.Select((histogram, index) =>
        {
            long start = index * LatencyIntervals.LengthNanoseconds;
            long length = Math.Min(LatencyIntervals.LengthNanoseconds, _windowNanoseconds - start);
            return new IntervalHistogram(start / 1e9, length / 1e9, HistogramTransfer.ToPairs(histogram));
        }),
    ];
}
