using ScottPlot;
using ScottPlot.TickGenerators;
using ShmIpc.Harness.Parent.Reporting;

namespace ShmIpc.Harness.Parent.Plots;

/// <summary>
/// ScottPlot 5 draws log axes as log10 of the data with ticks at whole decades (its cookbook's recipe): these are
/// the tick generators for a latency axis (labels in their own unit) and for HdrHistogram's percentile axis.
/// </summary>
internal static class LogTicks
{
    /// <summary>A value for a log axis: log10, with zero and below drawn at 1 (a latency is at least a nanosecond).</summary>
    public static double Log(double value) => Math.Log10(Math.Max(1, value));

    /// <summary>y = log10(ns), labelled 1 µs, 10 µs, ...</summary>
    public static NumericAutomatic Latency() => Decades(log => DurationText.Of((long)Math.Round(Math.Pow(10, log))));

    /// <summary>x = log10(1 / (1 - p)), labelled 0 %, 90 %, 99 %, 99.9 %, ...</summary>
    public static NumericAutomatic Percentile() => Decades(log => log <= 0
        ? "0%"
        : (100 * (1 - Math.Pow(10, -log))).ToString("0.#########", System.Globalization.CultureInfo.InvariantCulture) + "%");

    private static NumericAutomatic Decades(Func<double, string> label) => new()
    {
        MinorTickGenerator = new LogMinorTickGenerator(),
        IntegerTicksOnly = true,
        LabelFormatter = label,
    };

    /// <summary>Grid lines for the minor (in-decade) ticks too, so a log axis reads as one.</summary>
    public static void ShowMinorGrid(Plot plot)
    {
        plot.Grid.MajorLineColor = Colors.Black.WithOpacity(.15);
        plot.Grid.MinorLineColor = Colors.Black.WithOpacity(.05);
        plot.Grid.MinorLineWidth = 1;
    }
}
