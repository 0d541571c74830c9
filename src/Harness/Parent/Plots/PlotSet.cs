using ScottPlot;
using ShmIpc.Harness.Parent.Reporting;

namespace ShmIpc.Harness.Parent.Plots;

/// <summary>
/// Every plot of a report, written as PNG and SVG next to results.json, from the saved figures only (results.json and
/// the .hgrm files), so <c>harness report</c> draws the same plots without rerunning anything.
/// </summary>
internal static class PlotSet
{
    private const int Width = 900;
    private const int Height = 500;

    public const string LatencyByPercentileStem = "latency-by-percentile";
    public const string LatencyOverTimePrefix = "latency-over-time-";
    public const string CpuStem = "cpu";
    public const string AllocationStem = "allocation";
    public const string SweepThroughputStem = "sweep-throughput";
    public const string SweepP99Stem = "sweep-p99";

    public static IReadOnlyList<RenderedPlot> Write(ComparisonReport report, string directory)
    {
        var plots = new List<RenderedPlot>();
        bool severalSizes = report.Results.Select(row => row.PayloadBytes).Distinct().Count() > 1;
        string Label(TransportResult row) => $"{row.Transport}/{row.Codec}" + (severalSizes ? $" {row.PayloadBytes} B" : "");

        List<(string, PercentileDistribution)> distributions = [.. report.Results
            .Where(row => row.HistogramFile is not null && File.Exists(Path.Combine(directory, row.HistogramFile)))
            .Select(row => (Label(row), PercentileDistribution.Read(Path.Combine(directory, row.HistogramFile!))))];
        if (distributions.Count > 0)
        {
            plots.Add(Save(LatencyByPercentilePlot.Of(distributions), "Latency by percentile", LatencyByPercentileStem, directory));
        }
        foreach (TransportResult row in report.Results.Where(row => row.LatencyOverTime is { Count: > 0 }))
        {
            plots.Add(Save(LatencyOverTimePlot.Of(Label(row), row.LatencyOverTime!), $"Latency over time: {Label(row)}",
                LatencyOverTimePrefix + ReportWriter.FileStem(row), directory));
        }
        List<(string, PerSide<double>)> cpu = [.. report.Results.Where(row => row.CpuPercent is not null).Select(row => (Label(row), row.CpuPercent!))];
        if (cpu.Count > 0)
        {
            plots.Add(Save(PerSideBarsPlot.Of("CPU over the window", "% of one core", cpu), "CPU per transport", CpuStem, directory));
        }
        List<(string, PerSide<double>)> allocation = [.. report.Results.Where(row => row.AllocatedBytesPerMessage is not null).Select(row => (Label(row), row.AllocatedBytesPerMessage!))];
        if (allocation.Count > 0)
        {
            plots.Add(Save(PerSideBarsPlot.Of("Allocation", "bytes allocated per message", allocation), "Allocation per transport", AllocationStem, directory));
        }
        if (severalSizes)
        {
            (Plot throughput, Plot p99) = SweepPlots.Of(report.Results);
            plots.Add(Save(throughput, "Throughput by payload size", SweepThroughputStem, directory));
            plots.Add(Save(p99, "p99 by payload size (knees marked)", SweepP99Stem, directory));
        }
        return plots;
    }

    private static RenderedPlot Save(Plot plot, string title, string stem, string directory)
    {
        string png = stem + ".png";
        string svg = stem + ".svg";
        plot.SavePng(Path.Combine(directory, png), Width, Height);
        string markup = plot.GetSvgXml(Width, Height);
        File.WriteAllText(Path.Combine(directory, svg), markup);
        return new RenderedPlot(title, png, svg, markup);
    }
}
