using ShmIpc.Harness.Parent.Plots;
using ShmIpc.Harness.Parent.Recommendation;
using ShmIpc.Harness.Parent.Reporting;

namespace ShmIpc.Harness.Parent;

/// <summary>
/// Draws a report's plots and writes report.html next to its results.json: after a comparison (every child has
/// exited by then, so drawing never shares the CPUs with a measurement) and for <c>harness report DIR</c>.
/// </summary>
internal static class ReportRendering
{
    /// <summary>Writes the plots and report.html into <paramref name="directory"/>; returns report.html's path.</summary>
    public static string Render(ComparisonReport report, string directory)
    {
        IReadOnlyList<RenderedPlot> plots = PlotSet.Write(report, directory);
        Advice advice = DecisionTree.Recommend(Constraints.AsMeasured, report);
        string heading = $"For {Constraints.AsMeasured.Describe()}: use {advice.Transport} with {advice.Codec} (harness recommend --help for other constraints)";
        return HtmlReport.Write(report, plots, [heading, .. advice.Reasons], directory);
    }

    /// <summary>Reads <paramref name="directory"/>'s results.json back.</summary>
    public static ComparisonReport Load(string directory) =>
        ReportWriter.FromJson(File.ReadAllText(Path.Combine(directory, ReportWriter.JsonFileName)));
}
