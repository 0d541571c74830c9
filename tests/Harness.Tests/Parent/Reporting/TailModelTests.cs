using ShmIpc.Harness.Parent.Reporting;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Tests.Parent.Reporting;

/// <summary>The tail model on synthetic latencies with known parameters (seeded, so every run draws the same samples).</summary>
public sealed class TailModelTests
{
    private const double Shape = 0.25;
    private const double Scale = 10_000;

    /// <summary>Latencies whose whole distribution is GPD(ξ, σ): excesses over any threshold u are then GPD(ξ, σ + ξ u).</summary>
    private static double[] ParetoSamples(int count, double shape, double scale, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            double uniform = 1 - random.NextDouble();
            return shape == 0 ? -scale * Math.Log(uniform) : scale / shape * (Math.Pow(uniform, -shape) - 1);
        })];
    }

    /// <summary>The value a fraction <paramref name="tail"/> of GPD(ξ, σ) samples exceed.</summary>
    private static double TrueQuantile(double tail) => Scale / Shape * (Math.Pow(tail, -Shape) - 1);

    /// <summary>The samples as the harness holds them: an HdrHistogram of nanoseconds (3 significant digits), as pairs.</summary>
    private static IReadOnlyList<(long, long)> AsHistogram(double[] samples)
    {
        var histogram = LatencyHistograms.Create();
        foreach (double sample in samples)
        {
            histogram.RecordValue(Math.Max(1, (long)sample));
        }
        return [.. HistogramTransfer.ToPairs(histogram).Select(pair => (pair[0], pair[1]))];
    }

    [Theory]
    [InlineData(0.25, 10_000)]
    [InlineData(0.0, 5_000)]
    [InlineData(0.4, 2_000)]
    public void TheFit_RecoversKnownParameters(double shape, double scale)
    {
        double[] samples = ParetoSamples(100_000, shape, scale, seed: 7);
        GeneralizedPareto fit = GeneralizedPareto.Fit([.. samples.Select(sample => (sample, 1L))]);
        Assert.InRange(fit.Shape, shape - 0.03, shape + 0.03);
        Assert.InRange(fit.Scale, scale * 0.97, scale * 1.03);
    }

    [Fact]
    public void TheModel_OverTheP99_RecoversP999AndP9999_WithIntervalsHoldingTheTruth()
    {
        TailModel model = Assert.IsType<TailModel>(TailModel.Of(AsHistogram(ParetoSamples(200_000, Shape, Scale, seed: 11))));
        Assert.Equal(99, model.ThresholdPercentile);
        Assert.InRange(model.Excesses, 1_900, 2_100);
        // Over u the excesses are GPD(ξ, σ + ξ u).
        Assert.InRange(model.Shape, Shape - 0.1, Shape + 0.1);
        Assert.InRange(model.ScaleNs, (Scale + Shape * model.ThresholdNs) * 0.85, (Scale + Shape * model.ThresholdNs) * 1.15);
        foreach (TailEstimate estimate in model.Estimates)
        {
            double truth = TrueQuantile(1 - estimate.Percentile / 100);
            Assert.InRange(estimate.FittedNs, truth * 0.85, truth * 1.15);
            Assert.True(estimate.LowerNs <= truth && truth <= estimate.UpperNs, $"P{estimate.Percentile}: {truth} outside [{estimate.LowerNs}, {estimate.UpperNs}]");
            Assert.True(estimate.LowerNs < estimate.FittedNs && estimate.FittedNs < estimate.UpperNs, $"{estimate}");
            Assert.False(estimate.SampleTooSmall);
            Assert.InRange((double)estimate.MeasuredNs!, truth * 0.8, truth * 1.2);
        }
    }

    [Fact]
    public void APercentileTheSampleIsTooSmallFor_IsFlagged()
    {
        TailModel model = Assert.IsType<TailModel>(TailModel.Of(AsHistogram(ParetoSamples(50_000, Shape, Scale, seed: 3))));
        Assert.False(model.Estimates.Single(estimate => estimate.Percentile == 99.9).SampleTooSmall);
        Assert.True(model.Estimates.Single(estimate => estimate.Percentile == 99.99).SampleTooSmall);
    }

    [Fact]
    public void TooFewSamplesOverTheP99_LowerTheThresholdToTheP90_AndTooFewForThatGiveNoModel()
    {
        TailModel lowered = Assert.IsType<TailModel>(TailModel.Of(AsHistogram(ParetoSamples(2_000, Shape, Scale, seed: 5))));
        Assert.Equal(90, lowered.ThresholdPercentile);
        Assert.Null(TailModel.Of(AsHistogram(ParetoSamples(500, Shape, Scale, seed: 5))));
    }
}
