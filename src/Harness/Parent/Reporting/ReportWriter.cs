using System.Globalization;
using System.Text;
using System.Text.Json;
using HdrHistogram;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>Writes a report as JSON, CSV, Markdown, and each row's latency distribution as an .hgrm file and its latency over time as an .hlog file.</summary>
internal static class ReportWriter
{
    public const string JsonFileName = "results.json";
    public const string CsvFileName = "results.csv";
    public const string MarkdownFileName = "results.md";

    /// <summary>results.json writes every documented field, null when it has no value (a failed row's latency, a flat-out row's offered rate).</summary>
    private static readonly JsonSerializerOptions IndentedJson = new(ProtocolJson.Options)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.Never,
    };

    public static string ToJson(ComparisonReport report) => JsonSerializer.Serialize(report, IndentedJson);

    /// <summary>Reads a results.json back (<c>harness report</c> re-renders from it without rerunning anything).</summary>
    public static ComparisonReport FromJson(string json) =>
        JsonSerializer.Deserialize<ComparisonReport>(json, IndentedJson) ?? throw new JsonException($"{JsonFileName} holds no report");

    public static string ToCsv(ComparisonReport report)
    {
        var csv = new StringBuilder();
        csv.AppendLine("transport,codec,payloadBytes,encodedBytes,offeredMsgPerSec,achievedMsgPerSec,throughputMBps,p50Ns,p90Ns,p99Ns,p999Ns,p9999Ns,maxNs,senderCpuPercent,receiverCpuPercent,senderAllocatedBytesPerSec,receiverAllocatedBytesPerSec,senderAllocatedBytesPerMsg,receiverAllocatedBytesPerMsg,stolenPercent,otherProcessesPercent,noisy,sent,received,lost,errors,status,reason");
        foreach (TransportResult row in report.Results)
        {
            LatencyPercentiles? latency = row.LatencyNs;
            csv.AppendLine(string.Join(',',
                row.Transport, row.Codec, Number(row.PayloadBytes), Number(row.EncodedBytes),
                row.OfferedMsgPerSec is double offered ? Number(offered) : "max",
                Number(row.AchievedMsgPerSec), Number(row.ThroughputMBps),
                Number(latency?.P50), Number(latency?.P90), Number(latency?.P99), Number(latency?.P999), Number(latency?.P9999), Number(latency?.Max),
                Number(row.CpuPercent?.Sender), Number(row.CpuPercent?.Receiver),
                Number(row.AllocatedBytesPerSec?.Sender), Number(row.AllocatedBytesPerSec?.Receiver),
                Number(row.AllocatedBytesPerMessage?.Sender), Number(row.AllocatedBytesPerMessage?.Receiver),
                Number(row.Interference?.StolenPercent), Number(row.Interference?.OtherProcessesPercent),
                row.Interference is null ? "" : row.Interference.Noisy ? "true" : "false",
                Number(row.Sent), Number(row.Received), Number(row.Lost), Number(row.Errors),
                row.Status, Quote(row.Reason)));
        }
        return csv.ToString();
    }

    public static string ToMarkdown(ComparisonReport report)
    {
        var markdown = new StringBuilder();
        markdown.AppendLine(CultureInfo.InvariantCulture, $"Machine: {report.Machine.Cpu}, {report.Machine.LogicalCpus} CPUs, {report.Machine.Kernel}, {report.Machine.Runtime}");
        if (report.CommandLine is string commandLine)
        {
            markdown.AppendLine();
            markdown.AppendLine(CultureInfo.InvariantCulture, $"Command: `{commandLine}`");
        }
        markdown.AppendLine();
        markdown.AppendLine("| transport | codec | bytes/msg | offered msg/s | achieved msg/s | MB/s | p50 | p90 | p99 | p99.9 | p99.99 | max | CPU % snd (send path) / rcv | alloc B/msg snd / rcv | interference % of a core | errors | status |");
        markdown.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---|");
        foreach (TransportResult row in report.Results)
        {
            ResultCells cells = ResultCells.Of(row);
            markdown.AppendLine(CultureInfo.InvariantCulture,
                $"| {row.Transport} | {row.Codec} | {cells.Payload} | {cells.Offered} | {cells.Achieved} | {cells.Throughput} | {cells.P50} | {cells.P90} | {cells.P99} | {cells.P999} | {cells.P9999} | {cells.Max} | {cells.Cpu} | {cells.Allocation} | {cells.Interference} | {row.Errors} | {cells.Status} |");
        }
        List<string> notes = [.. ReportNotes.Of(report), .. TailModelLines.Of(report)];
        if (notes.Count > 0)
        {
            markdown.AppendLine();
            foreach (string note in notes)
            {
                markdown.AppendLine("- " + note);
            }
        }
        List<string> sources = [.. report.Results.SelectMany(AllocationSourceLines.Of)];
        if (sources.Count > 0)
        {
            markdown.AppendLine();
            markdown.AppendLine("```");
            sources.ForEach(line => markdown.AppendLine(line));
            markdown.AppendLine("```");
        }
        return markdown.ToString();
    }

    /// <summary>Writes results.json, results.csv, results.md and the .hgrm and .hlog files into <paramref name="directory"/>.</summary>
    public static void WriteFiles(ComparisonReport report, string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, JsonFileName), ToJson(report));
        File.WriteAllText(Path.Combine(directory, CsvFileName), ToCsv(report));
        File.WriteAllText(Path.Combine(directory, MarkdownFileName), ToMarkdown(report));
    }

    /// <summary>
    /// The HdrHistogram percentile distribution text that HdrHistogram's plotters read. Values are
    /// written in microseconds (the histogram records nanoseconds).
    /// </summary>
    public static string WriteHistogram(HistogramBase histogram, string directory, TransportResult row)
    {
        Directory.CreateDirectory(directory);
        string name = FileStem(row) + ".hgrm";
        using var writer = new StreamWriter(Path.Combine(directory, name));
        histogram.OutputPercentileDistribution(writer, percentileTicksPerHalfDistance: 5, outputValueUnitScalingRatio: 1000.0, useCsvFormat: false);
        return name;
    }

    /// <summary>The interval histograms of every run of <paramref name="row"/> as an HdrHistogram interval log (<see cref="IntervalLogWriter"/>).</summary>
    public static string WriteIntervalLog(IReadOnlyList<IReadOnlyList<IntervalHistogram>> runs, DateTimeOffset baseTime, string directory, TransportResult row)
    {
        Directory.CreateDirectory(directory);
        string name = FileStem(row) + ".hlog";
        using var writer = new StreamWriter(Path.Combine(directory, name), append: false, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        IntervalLogWriter.Write(writer, baseTime, runs);
        return name;
    }

    /// <summary>One row's file name without its extension: transport, codec, payload and rate.</summary>
    public static string FileStem(TransportResult row) => string.Create(CultureInfo.InvariantCulture,
        $"{row.Transport}-{row.Codec}-{row.PayloadBytes}B-{(row.OfferedMsgPerSec is double rate ? rate.ToString("0", CultureInfo.InvariantCulture) : "max")}");

    private static string Number(double? value) =>
        value is double number ? number.ToString("0.###", CultureInfo.InvariantCulture) : "";

    private static string Number(long? value) =>
        value is long number ? number.ToString(CultureInfo.InvariantCulture) : "";

    private static string Quote(string? text) =>
        text is null ? "" : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
