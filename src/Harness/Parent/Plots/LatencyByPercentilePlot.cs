using ScottPlot;
using ShmIpc.Harness.Parent.Reporting;

namespace ShmIpc.Harness.Parent.Plots;

/// <summary>HdrHistogram's classic plot: every row's latency by percentile on one chart, x = 1/(1-p) and y on log scales.</summary>
internal static class LatencyByPercentilePlot
{
    public static Plot Of(IReadOnlyList<(string Label, PercentileDistribution Distribution)> rows)
    {
        var plot = new Plot();
        foreach ((string label, PercentileDistribution distribution) in rows)
        {
            IReadOnlyList<(double Percentile, double ValueNs)> points = distribution.Points;
            double[] xs = [.. points.Select(point => LogTicks.Log(1 / (1 - point.Percentile)))];
            double[] ys = [.. points.Select(point => LogTicks.Log(point.ValueNs))];
            ScottPlot.Plottables.Scatter line = plot.Add.ScatterLine(xs, ys);
            line.LegendText = label;
            line.LineWidth = 2;
        }
        plot.Axes.Bottom.TickGenerator = LogTicks.Percentile();
        plot.Axes.Left.TickGenerator = LogTicks.Latency();
        LogTicks.ShowMinorGrid(plot);
        plot.Title("Latency by percentile");
        plot.XLabel("percentile (log scale of 1/(1-p))");
        plot.YLabel("latency from intended send (log scale)");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }
}
