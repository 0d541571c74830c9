namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>
/// The latency tail as extreme value theory models it: peaks over a threshold (the p99 value, or the p90 value when
/// p99 leaves fewer than <see cref="MinimumExcesses"/> samples above it) fitted by a generalized Pareto distribution,
/// giving P99.9 and P99.99 with 95 % confidence intervals next to the measured ones. Computed from the row's whole
/// histogram after its children exited; null for a row with too few samples to fit.
/// </summary>
internal sealed record TailModel(double ThresholdPercentile, long ThresholdNs, long Samples, long Excesses, double Shape, double ScaleNs, IReadOnlyList<TailEstimate> Estimates)
{
    public const int MinimumExcesses = 100;

    /// <summary>Bootstrap resamples for the intervals: enough for 2.5 % and 97.5 % points, cheap next to a run...</summary>
    private const int Resamples = 200;

    /// <summary>... but no more draws than this in all (a flat-out row can have millions of excesses): fewer resamples then, at least 20.</summary>
    private const long MaximumDraws = 20_000_000;

    private static readonly double[] ThresholdPercentiles = [99, 90];
    private static readonly double[] EstimatedPercentiles = [99.9, 99.99];

    /// <summary>From a latency histogram as (value ns, count) pairs in ascending value; the same pairs give the same model (seeded resampling).</summary>
    public static TailModel? Of(IReadOnlyList<(long ValueNs, long Count)> histogram)
    {
        long samples = histogram.Sum(bucket => bucket.Count);
        foreach (double thresholdPercentile in ThresholdPercentiles)
        {
            long threshold = ValueAt(histogram, samples, thresholdPercentile);
            (double Excess, long Count)[] excesses = [.. histogram.Where(bucket => bucket.ValueNs > threshold).Select(bucket => ((double)(bucket.ValueNs - threshold), bucket.Count))];
            long over = excesses.Sum(excess => excess.Count);
            if (over < MinimumExcesses)
            {
                continue;
            }
            GeneralizedPareto fit = GeneralizedPareto.Fit(excesses);
            double exceedance = (double)over / samples;
            double[][] resampled = Bootstrap(excesses, over, exceedance);
            TailEstimate[] estimates = [.. EstimatedPercentiles.Select((percentile, index) =>
            {
                double tail = (1 - percentile / 100) / exceedance;
                double[] interval = [.. resampled.Select(quantiles => quantiles[index]).Order()];
                return new TailEstimate(
                    percentile,
                    ValueAt(histogram, samples, percentile),
                    threshold + fit.ExcessExceededBy(tail),
                    threshold + interval[(int)(0.025 * (interval.Length - 1))],
                    threshold + interval[(int)Math.Ceiling(0.975 * (interval.Length - 1))],
                    SampleTooSmall: samples < 10 / (1 - percentile / 100));
            })];
            return new TailModel(thresholdPercentile, threshold, samples, over, fit.Shape, fit.Scale, estimates);
        }
        return null;
    }

    /// <summary>For each resample of the excesses (drawn with replacement), the fitted excess at each estimated percentile.</summary>
    private static double[][] Bootstrap((double Excess, long Count)[] excesses, long over, double exceedance)
    {
        var random = new Random(20261203);
        long[] cumulative = new long[excesses.Length];
        long running = 0;
        for (int index = 0; index < excesses.Length; index++)
        {
            running += excesses[index].Count;
            cumulative[index] = running;
        }
        int resamples = (int)Math.Clamp(MaximumDraws / over, 20, Resamples);
        var result = new double[resamples][];
        var counts = new long[excesses.Length];
        for (int resample = 0; resample < resamples; resample++)
        {
            Array.Clear(counts);
            for (long draw = 0; draw < over; draw++)
            {
                int at = Array.BinarySearch(cumulative, random.NextInt64(over) + 1);
                counts[at < 0 ? ~at : at]++;
            }
            GeneralizedPareto fit = GeneralizedPareto.Fit([.. excesses.Select((excess, index) => (excess.Excess, counts[index]))]);
            result[resample] = [.. EstimatedPercentiles.Select(percentile => fit.ExcessExceededBy((1 - percentile / 100) / exceedance))];
        }
        return result;
    }

    /// <summary>The smallest value with at least <paramref name="percentile"/> % of the samples at or below it (HdrHistogram's rule).</summary>
    private static long ValueAt(IReadOnlyList<(long ValueNs, long Count)> histogram, long samples, double percentile)
    {
        long needed = Math.Max(1, (long)Math.Ceiling(percentile / 100 * samples));
        long seen = 0;
        foreach ((long value, long count) in histogram)
        {
            seen += count;
            if (seen >= needed)
            {
                return value;
            }
        }
        return histogram.Count == 0 ? 0 : histogram[^1].ValueNs;
    }
}
