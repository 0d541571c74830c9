using ScottPlot;
using ShmIpc.Harness.Parent.Reporting;

namespace ShmIpc.Harness.Parent.Plots;

/// <summary>One row's latency per interval of its window (p50, p99, max; y on a log scale), so a stall, a backlog or a drift shows.</summary>
internal static class LatencyOverTimePlot
{
    public static Plot Of(string label, IReadOnlyList<IntervalSummary> intervals)
    {
        var plot = new Plot();
        IntervalSummary[] measured = [.. intervals.Where(interval => interval.Count > 0)];
        double[] seconds = [.. measured.Select(interval => interval.StartSeconds + interval.LengthSeconds / 2)];
        foreach ((string name, Func<IntervalSummary, long> figure) in new (string, Func<IntervalSummary, long>)[]
        {
            ("p50", interval => interval.P50Ns), ("p99", interval => interval.P99Ns), ("max", interval => interval.MaxNs),
        })
        {
            double[] ys = [.. measured.Select(interval => LogTicks.Log(figure(interval)))];
            ScottPlot.Plottables.Scatter line = plot.Add.Scatter(seconds, ys);
            line.LegendText = name;
            line.LineWidth = 2;
        }
        plot.Axes.Left.TickGenerator = LogTicks.Latency();
        LogTicks.ShowMinorGrid(plot);
        plot.Title($"Latency over time: {label}");
        plot.XLabel("seconds into the measurement window");
        plot.YLabel("latency per interval (log scale)");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }
}
