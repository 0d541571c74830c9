using HdrHistogram;

namespace ShmIpc.Harness.Protocol;

/// <summary>Moves an HdrHistogram between processes as (bucket value, count) pairs: lossless at the histogram's precision.</summary>
internal static class HistogramTransfer
{
    public static IReadOnlyList<long[]> ToPairs(HistogramBase histogram)
    {
        var pairs = new List<long[]>();
        foreach (var bucket in histogram.RecordedValues())
        {
            pairs.Add([bucket.ValueIteratedTo, bucket.CountAddedInThisIterationStep]);
        }
        return pairs;
    }

    public static LongHistogram FromPairs(IReadOnlyList<long[]> pairs)
    {
        LongHistogram histogram = LatencyHistograms.Create();
        foreach (long[] pair in pairs)
        {
            histogram.RecordValueWithCount(pair[0], pair[1]);
        }
        return histogram;
    }
}
