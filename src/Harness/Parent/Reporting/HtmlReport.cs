using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>
/// One self-contained report.html (no script, no stylesheet or image from anywhere else: the plots are inline SVG):
/// the machine and configuration, the exact command line, the table, the notes (verdicts, noisy rows, the host's noise
/// floor) and the plots.
/// </summary>
internal static class HtmlReport
{
    public const string FileName = "report.html";

    /// <summary>Writes report.html; <paramref name="recommendation"/> is a heading and its reasons (the decision tree's, for what was measured).</summary>
    public static string Write(ComparisonReport report, IReadOnlyList<RenderedPlot> plots, IReadOnlyList<string> recommendation, string directory)
    {
        string path = Path.Combine(directory, FileName);
        File.WriteAllText(path, ToHtml(report, plots, recommendation));
        return path;
    }

    public static string ToHtml(ComparisonReport report, IReadOnlyList<RenderedPlot> plots, IReadOnlyList<string> recommendation)
    {
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html>");
        html.AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\"><title>ShmIpc compare</title>");
        html.AppendLine("<style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;font-size:90%}"
            + "td,th{border:1px solid #ccc;padding:2px 6px}td.n{text-align:right;white-space:nowrap}th{background:#eee}.bad{color:#b00}.warn{color:#a60}"
            + "figure{margin:1em 0}figure svg{max-width:100%;height:auto}pre,code{background:#f6f6f6}</style></head><body>");
        html.AppendLine("<h1>ShmIpc compare</h1>");
        if (report.Partial)
        {
            html.AppendLine("<p class=\"bad\">Partial: the run was interrupted; some rows are partial or missing.</p>");
        }

        html.AppendLine("<h2>Machine</h2><table>");
        MachineInfo machine = report.Machine;
        Row(html, "host", machine.Host);
        Row(html, "OS", machine.Os);
        Row(html, "kernel", machine.Kernel);
        Row(html, "CPU", $"{machine.Cpu}, {machine.LogicalCpus} logical CPUs");
        Row(html, "memory", string.Create(CultureInfo.InvariantCulture, $"{machine.MemoryBytes / (1024.0 * 1024 * 1024):0.0} GiB"));
        Row(html, "runtime", machine.Runtime);
        html.AppendLine("</table>");

        html.AppendLine("<h2>Command and configuration</h2>");
        html.AppendLine($"<p><code>{Encode(report.CommandLine ?? "(not recorded)")}</code></p>");
        html.AppendLine($"<pre>{Encode(JsonSerializer.Serialize(report.Config, ReportJson))}</pre>");

        html.AppendLine("<h2>Results</h2><table><tr>");
        foreach (string header in new[] { "transport", "codec", "bytes/msg", "offered msg/s", "achieved msg/s", "MB/s", "p50", "p90", "p99", "p99.9", "p99.99", "max", "CPU % snd (send path) / rcv", "alloc B/msg snd / rcv", "interference % of a core", "status" })
        {
            html.Append($"<th>{Encode(header)}</th>");
        }
        html.AppendLine("</tr>");
        foreach (TransportResult row in report.Results)
        {
            ResultCells cells = ResultCells.Of(row);
            string statusClass = row.Status switch
            {
                TransportResult.StatusOk => "",
                TransportResult.StatusFailed or TransportResult.StatusPartial => " class=\"bad\"",
                _ => " class=\"warn\"",
            };
            html.Append("<tr>");
            html.Append($"<td>{Encode(row.Transport)}</td><td>{Encode(row.Codec)}</td>");
            foreach (string figure in new[] { cells.Payload, cells.Offered, cells.Achieved, cells.Throughput, cells.P50, cells.P90, cells.P99, cells.P999, cells.P9999, cells.Max, cells.Cpu, cells.Allocation })
            {
                html.Append($"<td class=\"n\">{Encode(figure)}</td>");
            }
            html.Append(row.Interference is { Noisy: true } ? $"<td class=\"n warn\">{Encode(cells.Interference)}</td>" : $"<td class=\"n\">{Encode(cells.Interference)}</td>");
            html.AppendLine($"<td{statusClass}>{Encode(row.Status)}</td></tr>");
        }
        html.AppendLine("</table>");

        List<string> notes = [.. ReportNotes.Of(report), .. TailModelLines.Of(report)];
        html.AppendLine("<h2>Notes</h2>");
        if (notes.Count == 0)
        {
            html.AppendLine("<p>Every row is ok and none was measured on a noisy host.</p>");
        }
        else
        {
            html.AppendLine("<ul>");
            foreach (string note in notes)
            {
                html.AppendLine($"<li>{Encode(note)}</li>");
            }
            html.AppendLine("</ul>");
        }
        html.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"<p>A row is noisy when other work (other processes, or the hypervisor's steal) took more than {HostInterference.NoisyAbovePercent:0}% of a core during its window: its tail measured the host as much as the transport. Latency is from the intended send time (open loop) to after the receiver read every field.</p>"));

        if (recommendation.Count > 0)
        {
            html.AppendLine("<h2>Recommendation</h2>");
            html.AppendLine($"<p>{Encode(recommendation[0])}</p><ul>");
            foreach (string reason in recommendation.Skip(1))
            {
                html.AppendLine($"<li>{Encode(reason)}</li>");
            }
            html.AppendLine("</ul>");
        }

        html.AppendLine("<h2>Plots</h2>");
        foreach (RenderedPlot plot in plots)
        {
            html.AppendLine($"<figure><figcaption>{Encode(plot.Title)} (<a href=\"{Encode(plot.PngFile)}\">PNG</a>, <a href=\"{Encode(plot.SvgFile)}\">SVG</a>)</figcaption>");
            html.AppendLine(InlineSvg(plot.Svg));
            html.AppendLine("</figure>");
        }
        html.AppendLine("</body></html>");
        return html.ToString();
    }

    private static readonly JsonSerializerOptions ReportJson = new(Protocol.ProtocolJson.Options) { WriteIndented = true };

    private static void Row(StringBuilder html, string name, string value) =>
        html.AppendLine($"<tr><th>{Encode(name)}</th><td>{Encode(value)}</td></tr>");

    /// <summary>An SVG document as an element of the page: anything before its root element (an XML declaration) is dropped.</summary>
    private static string InlineSvg(string svg)
    {
        int root = svg.IndexOf("<svg", StringComparison.Ordinal);
        return root < 0 ? "" : svg[root..];
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
