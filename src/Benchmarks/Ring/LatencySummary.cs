using System.Globalization;

namespace ShmIpc.Benchmarks.Ring;

/// <summary>Percentiles of a sample array, picked the way the C tool picks them (sorted, index n·q).</summary>
internal readonly record struct LatencySummary(int Count, long P50, long P99, long P999, long Max)
{
    public static LatencySummary FromSamples(long[] samples, int count)
    {
        Array.Sort(samples, 0, count);
        return new LatencySummary(count, samples[count / 2], samples[(int)(count * 0.99)], samples[(int)(count * 0.999)], samples[count - 1]);
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture, $"n={Count} p50_ns={P50} p99_ns={P99} p99.9_ns={P999} max_ns={Max}");
}
