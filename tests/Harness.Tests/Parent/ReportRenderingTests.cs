using System.Text.Json;
using System.Text.RegularExpressions;
using ShmIpc.Harness.Parent;
using ShmIpc.Harness.Parent.Plots;
using ShmIpc.Harness.Parent.Reporting;

namespace ShmIpc.Harness.Tests.Parent;

public sealed class ReportRenderingTests : IDisposable
{
    private static readonly string[] Transports = ["shm", "grpc", "fb", "msgpack"];

    private readonly SavedResults _saved = new();

    public void Dispose() => _saved.Dispose();

    [Fact]
    public void SavedResults_ReadBack_WithEveryRowAndItsFigures()
    {
        ComparisonReport report = ReportRendering.Load(_saved.Directory);
        Assert.Equal(Transports, report.Results.Select(row => row.Transport));
        Assert.All(report.Results, row => Assert.NotNull(row.LatencyNs));
        Assert.All(report.Results, row => Assert.NotNull(row.Interference));
        Assert.All(report.Results, row => Assert.False(Assert.IsType<LeakCheck>(row.Leaks).Leaked));
        Assert.All(report.Results, row => Assert.Equal(2, Assert.IsType<TailModel>(row.TailModel).Estimates.Count));
        Assert.NotNull(report.JitterProbe);
        Assert.StartsWith("harness compare", report.CommandLine, StringComparison.Ordinal);
        // Written back, every field of the saved file is there with its value: nothing was lost on the way in. (Fields
        // added since the fixture was saved are written as null; they are not the fixture's to hold.)
        using JsonDocument saved = JsonDocument.Parse(File.ReadAllText(Path.Combine(_saved.Directory, ReportWriter.JsonFileName)));
        using JsonDocument written = JsonDocument.Parse(ReportWriter.ToJson(report));
        AssertHolds(saved.RootElement, written.RootElement, "$");
    }

    private static void AssertHolds(JsonElement expected, JsonElement actual, string path)
    {
        Assert.True(expected.ValueKind == actual.ValueKind, $"{path}: {expected.ValueKind} became {actual.ValueKind}");
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (JsonProperty property in expected.EnumerateObject())
                {
                    Assert.True(actual.TryGetProperty(property.Name, out JsonElement value), $"{path}.{property.Name} was lost");
                    AssertHolds(property.Value, value, $"{path}.{property.Name}");
                }
                break;
            case JsonValueKind.Array:
                Assert.True(expected.GetArrayLength() == actual.GetArrayLength(), $"{path}: length");
                for (int index = 0; index < expected.GetArrayLength(); index++)
                {
                    AssertHolds(expected[index], actual[index], $"{path}[{index}]");
                }
                break;
            default:
                Assert.True(expected.GetRawText() == actual.GetRawText(), $"{path}: {expected.GetRawText()} became {actual.GetRawText()}");
                break;
        }
    }

    [Fact]
    public void Render_WritesEveryPlotAsPngAndSvg_HoldingEachTransport()
    {
        ComparisonReport report = ReportRendering.Load(_saved.Directory);
        ReportRendering.Render(report, _saved.Directory);

        var stems = new List<string> { PlotSet.LatencyByPercentileStem, PlotSet.CpuStem, PlotSet.AllocationStem };
        stems.AddRange(report.Results.Select(row => PlotSet.LatencyOverTimePrefix + ReportWriter.FileStem(row)));
        foreach (string stem in stems)
        {
            byte[] png = File.ReadAllBytes(Path.Combine(_saved.Directory, stem + ".png"));
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
            Assert.Contains("<svg", File.ReadAllText(Path.Combine(_saved.Directory, stem + ".svg")), StringComparison.Ordinal);
        }
        // The charts of all rows name every transport (their legend and bar labels are SVG text).
        foreach (string stem in new[] { PlotSet.LatencyByPercentileStem, PlotSet.CpuStem, PlotSet.AllocationStem })
        {
            string svg = File.ReadAllText(Path.Combine(_saved.Directory, stem + ".svg"));
            Assert.All(report.Results, row => Assert.Contains($"{row.Transport}/{row.Codec}", svg, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void ASweep_AlsoGetsThroughputAndP99BySize_WithEveryTransport()
    {
        using var sweep = new SavedResults(SavedResults.Sweep);
        ComparisonReport report = ReportRendering.Load(sweep.Directory);
        string html = File.ReadAllText(ReportRendering.Render(report, sweep.Directory));
        foreach (string stem in new[] { PlotSet.SweepThroughputStem, PlotSet.SweepP99Stem })
        {
            Assert.True(File.Exists(Path.Combine(sweep.Directory, stem + ".png")), stem);
            string svg = File.ReadAllText(Path.Combine(sweep.Directory, stem + ".svg"));
            Assert.Contains("shm/raw", svg, StringComparison.Ordinal);
            Assert.Contains("msgpack/msgpack", svg, StringComparison.Ordinal);
            Assert.Contains(svg[svg.IndexOf("<svg", StringComparison.Ordinal)..], html, StringComparison.Ordinal);
        }
        // A single-size compare draws no sweep.
        ReportRendering.Render(ReportRendering.Load(_saved.Directory), _saved.Directory);
        Assert.False(File.Exists(Path.Combine(_saved.Directory, PlotSet.SweepP99Stem + ".svg")));
    }

    [Fact]
    public void TheHtmlReport_IsSelfContained_AndHoldsEachTransportItsP99AndThePlots()
    {
        ComparisonReport report = ReportRendering.Load(_saved.Directory);
        string html = File.ReadAllText(ReportRendering.Render(report, _saved.Directory));

        foreach (TransportResult row in report.Results)
        {
            // The row's cells: its transport, and its measured p99 as the table shows it.
            string p99 = ResultCells.Latency(row.LatencyNs!.P99);
            Assert.Matches(new Regex($"<tr><td>{row.Transport}</td><td>{row.Codec}</td>(<td class=\"n\">[^<]*</td>){{6}}<td class=\"n\">{Regex.Escape(System.Net.WebUtility.HtmlEncode(p99))}</td>"), html);
        }
        int plots = Regex.Count(html, "<figure>");
        Assert.Equal(3 + report.Results.Count, plots);
        Assert.Equal(plots, Regex.Count(html, "<svg "));
        Assert.Contains(report.CommandLine!, html, StringComparison.Ordinal);
        Assert.Contains(report.Machine.Cpu, html, StringComparison.Ordinal);
        Assert.Contains("noisy", html, StringComparison.Ordinal);
        Assert.Contains("<h2>Recommendation</h2><p>For one host, .NET on both ends, a fixed schema, no latency budget, one consumer: use shm with raw", html.Replace("\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.All(report.Results, row => Assert.Contains($"{row.Transport}/{row.Codec} {row.PayloadBytes} B tail: generalized Pareto", html, StringComparison.Ordinal));
        // Opens with no network: nothing to fetch (the SVG namespace names are names, not requests).
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(new Regex("(src|href)=\"(https?:)?//", RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain("<?xml", html, StringComparison.Ordinal);
    }
}
