using System.Globalization;
using ScottPlot;
using ShmIpc.Harness.Parent.Reporting;

namespace ShmIpc.Harness.Parent.Plots;

/// <summary>
/// <c>harness sweep</c>'s two charts: throughput and p99 versus payload size (x on a log2 scale), one line per
/// transport, each transport's knee (<see cref="SweepKnee"/>) marked on both.
/// </summary>
internal static class SweepPlots
{
    public static (Plot Throughput, Plot P99) Of(IReadOnlyList<TransportResult> rows)
    {
        var throughput = new Plot();
        var p99 = new Plot();
        List<int> sizes = [.. rows.Select(row => row.PayloadBytes).Distinct().Order()];
        IPalette palette = new ScottPlot.Palettes.Category10();
        int colour = 0;
        foreach (IGrouping<string, TransportResult> transport in rows.Where(row => row.LatencyNs is not null).GroupBy(row => $"{row.Transport}/{row.Codec}"))
        {
            TransportResult[] points = [.. transport.OrderBy(row => row.PayloadBytes)];
            Color color = palette.GetColor(colour++);
            double[] xs = [.. points.Select(row => Math.Log2(row.PayloadBytes))];
            double[] megabytes = [.. points.Select(row => row.ThroughputMBps)];
            double[] latencies = [.. points.Select(row => LogTicks.Log(row.LatencyNs!.P99))];
            ScottPlot.Plottables.Scatter rate = throughput.Add.Scatter(xs, megabytes, color);
            rate.LegendText = transport.Key;
            ScottPlot.Plottables.Scatter tail = p99.Add.Scatter(xs, latencies, color);
            tail.LegendText = transport.Key;
            if (SweepKnee.Of([.. points.Select(row => (row.PayloadBytes, row.LatencyNs!.P99))]) is int knee)
            {
                int at = Array.FindIndex(points, row => row.PayloadBytes == knee);
                MarkKnee(throughput, xs[at], megabytes[at], color);
                MarkKnee(p99, xs[at], latencies[at], color);
            }
        }
        foreach (Plot plot in new[] { throughput, p99 })
        {
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                [.. sizes.Select(size => new Tick(Math.Log2(size), SizeLabel(size), isMajor: true))]);
            plot.XLabel("payload per message (log scale); ◆ marks each transport's knee");
            plot.ShowLegend(Alignment.UpperLeft);
        }
        throughput.Title("Throughput by payload size");
        throughput.YLabel("MB/s");
        p99.Title("p99 latency by payload size");
        p99.YLabel("p99 latency (log scale)");
        p99.Axes.Left.TickGenerator = LogTicks.Latency();
        LogTicks.ShowMinorGrid(p99);
        return (throughput, p99);
    }

    private static void MarkKnee(Plot plot, double x, double y, Color color)
    {
        plot.Add.Marker(x, y, MarkerShape.FilledDiamond, 14, color);
    }

    private static string SizeLabel(int bytes) => bytes % 1024 == 0
        ? (bytes / 1024).ToString(CultureInfo.InvariantCulture) + " KiB"
        : bytes.ToString(CultureInfo.InvariantCulture) + " B";
}
