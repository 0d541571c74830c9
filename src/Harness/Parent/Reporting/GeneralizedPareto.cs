namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>
/// A generalized Pareto distribution of excesses over a threshold: P(X - u &gt; y | X &gt; u) = (1 + ξ y / σ)^(-1/ξ)
/// (shape ξ, scale σ; ξ = 0 is the exponential). Fitted by probability-weighted moments (Hosking and Wallis 1987):
/// closed form, no iteration, valid while the mean exists (ξ &lt; 1) and most accurate below ξ = 1/2.
/// </summary>
internal readonly record struct GeneralizedPareto(double Shape, double Scale)
{
    /// <summary>Below this |ξ| the exponential limit is used (the general form divides by ξ).</summary>
    private const double ExponentialShape = 1e-9;

    /// <summary>Fits excesses (value over the threshold, how many times) by probability-weighted moments.</summary>
    public static GeneralizedPareto Fit(IReadOnlyList<(double Excess, long Count)> excesses)
    {
        (double Excess, long Count)[] ordered = [.. excesses.Where(excess => excess.Count > 0).OrderBy(excess => excess.Excess)];
        double n = ordered.Sum(excess => (double)excess.Count);
        // a0 = mean; a1 = mean of (1 - p_j) x_(j) with plotting positions p_j = (j - 0.35) / n, j = 1..n, ascending.
        double a0 = 0;
        double a1 = 0;
        double rank = 0;
        foreach ((double excess, long count) in ordered)
        {
            // The ranks rank+1 .. rank+count share this value: sum of (1 - (j - 0.35) / n) over them.
            double ranks = count * rank + count * (count + 1) / 2.0;
            a0 += excess * count;
            a1 += excess * (count - (ranks - 0.35 * count) / n);
            rank += count;
        }
        a0 /= n;
        a1 /= n;
        double denominator = a0 - 2 * a1;
        return new GeneralizedPareto(Shape: 2 - a0 / denominator, Scale: 2 * a0 * a1 / denominator);
    }

    /// <summary>The excess over the threshold that a fraction <paramref name="tail"/> of the excesses exceed.</summary>
    public double ExcessExceededBy(double tail) => Math.Abs(Shape) < ExponentialShape
        ? -Scale * Math.Log(tail)
        : Scale / Shape * (Math.Pow(tail, -Shape) - 1);
}
