using HdrHistogram;

namespace ShmIpc.Harness.Child.Measurement;

/// <summary>A receiver's merged figures: the latency histogram, the same by interval, and the counts behind every rate and error.</summary>
internal sealed record RecordingTotals(
    HistogramBase Histogram,
    IntervalHistograms Intervals,
    long Received,
    long ReceivedInWindow,
    long BytesInWindow,
    long Unique,
    long Duplicates,
    long OutOfRange,
    long ContentErrors);
