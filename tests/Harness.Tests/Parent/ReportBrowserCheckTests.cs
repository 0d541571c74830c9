using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using ShmIpc.Harness.Parent;
using ShmIpc.Harness.Parent.Reporting;
using ShmIpc.TestSupport;
using SkiaSharp;

namespace ShmIpc.Harness.Tests.Parent;

/// <summary>scripts/report-check.sh on a saved run: what a reader's browser shows of report.html.</summary>
public sealed class ReportBrowserCheckTests : IDisposable
{
    private static readonly TimeSpan ScriptBound = TimeSpan.FromMinutes(2);

    private readonly SavedResults _saved = new();

    public void Dispose() => _saved.Dispose();

    [ChromiumFact]
    public void TheRenderedReport_IsANonBlankScreenshot_AndItsDomHoldsEachTransportItsP99AndThePlots()
    {
        ComparisonReport report = ReportRendering.Load(_saved.Directory);
        ReportRendering.Render(report, _saved.Directory);

        // The script prints what it saved: the screenshot, then the rendered DOM.
        string[] saved = RunReportCheck(_saved.Directory);
        Assert.Equal(2, saved.Length);
        Assert.All(saved, path => Assert.Equal(_saved.Directory, Path.GetDirectoryName(path)));

        using (SKBitmap screenshot = SKBitmap.Decode(saved[0]))
        {
            Assert.NotNull(screenshot);
            // Non-blank: a page of text, tables and charts has many colours; a blank (or failed) page has one.
            var colours = new HashSet<SKColor>();
            for (int y = 0; y < screenshot.Height; y += 7)
            {
                for (int x = 0; x < screenshot.Width; x += 7)
                {
                    colours.Add(screenshot.GetPixel(x, y));
                }
            }
            Assert.True(colours.Count > 16, $"the screenshot has {colours.Count} colours: blank");
        }

        string dom = File.ReadAllText(saved[1]);
        foreach (TransportResult row in report.Results)
        {
            // The rendered row: its transport and codec cells, and its measured p99 as the table shows it.
            string p99 = WebUtility.HtmlEncode(ResultCells.Latency(row.LatencyNs!.P99));
            Assert.Matches(new Regex($"<tr><td>{row.Transport}</td><td>{row.Codec}</td>(<td class=\"n\">[^<]*</td>){{6}}<td class=\"n\">{Regex.Escape(p99)}</td>"), dom);
        }
        // Each plot is embedded, and the browser parsed it as SVG with its chart text (the legend names every transport).
        Assert.Equal(3 + report.Results.Count, Regex.Count(dom, "<figure>"));
        Assert.Equal(3 + report.Results.Count, Regex.Count(dom, "<svg "));
        Assert.All(report.Results, row => Assert.Matches(new Regex($@"<text[^>]*>\s*{row.Transport}/{row.Codec}\s*</text>"), dom));
    }

    private static string[] RunReportCheck(string directory)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(RepositoryPaths.Combine("scripts", "report-check.sh"));
        start.ArgumentList.Add(directory);
        using Process script = Process.Start(start)!;
        Task<string> output = script.StandardOutput.ReadToEndAsync();
        Task<string> errors = script.StandardError.ReadToEndAsync();
        if (!script.WaitForExit(ScriptBound))
        {
            script.Kill(entireProcessTree: true);
            Assert.Fail($"scripts/report-check.sh took over {ScriptBound}");
        }
        Assert.True(script.ExitCode == 0, $"scripts/report-check.sh exited {script.ExitCode}: {output.Result}{errors.Result}");
        return output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
