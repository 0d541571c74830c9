using System.Globalization;

namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>Each row's tail model in a sentence (results.md and report.html; the terminal keeps to the table).</summary>
internal static class TailModelLines
{
    public static IEnumerable<string> Of(ComparisonReport report) => report.Results
        .Where(row => row.TailModel is not null)
        .Select(row =>
        {
            TailModel model = row.TailModel!;
            IEnumerable<string> estimates = model.Estimates.Select(estimate => string.Create(CultureInfo.InvariantCulture,
                $"P{estimate.Percentile:0.##} measured {(estimate.MeasuredNs is long measured ? DurationText.Of(measured) : "—")}{(estimate.SampleTooSmall ? " (too few samples to trust)" : "")}, fitted {DurationText.Of((long)estimate.FittedNs)} [95 % {DurationText.Of((long)estimate.LowerNs)} – {DurationText.Of((long)estimate.UpperNs)}]"));
            return string.Create(CultureInfo.InvariantCulture,
                $"{row.Transport}/{row.Codec} {row.PayloadBytes} B tail: generalized Pareto over the p{model.ThresholdPercentile:0} value {DurationText.Of(model.ThresholdNs)} ({model.Excesses:N0} of {model.Samples:N0} samples above it, shape {model.Shape:0.00}): ")
                + string.Join("; ", estimates);
        });
}
