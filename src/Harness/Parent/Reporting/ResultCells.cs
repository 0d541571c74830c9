using System.Globalization;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>A row's figures formatted for people (table and Markdown share them): µs, thousands separators.</summary>
internal sealed record ResultCells(
    string Payload, string Offered, string Achieved, string Throughput,
    string P50, string P90, string P99, string P999, string P9999, string Max,
    string Cpu, string Allocation, string Status)
{
    public static ResultCells Of(TransportResult row)
    {
        LatencyPercentiles? latency = row.LatencyNs;
        return new ResultCells(
            Payload: Format(row.EncodedBytes > 0 ? row.EncodedBytes : row.PayloadBytes, "N0"),
            Offered: row.OfferedMsgPerSec is double offered ? Format(offered, "N0") : "max",
            Achieved: row.Status == TransportResult.StatusFailed && row.LatencyNs is null ? "—" : Format(row.AchievedMsgPerSec, "N0"),
            Throughput: row.LatencyNs is null && row.AchievedMsgPerSec == 0 ? "—" : Format(row.ThroughputMBps, "N0"),
            P50: Micros(latency?.P50),
            P90: Micros(latency?.P90),
            P99: Micros(latency?.P99),
            P999: Micros(latency?.P999),
            P9999: Micros(latency?.P9999),
            Max: Micros(latency?.Max),
            Cpu: row.CpuPercent is null ? "—" : $"{Format(row.CpuPercent.Sender, "0")} ({Format(row.SenderSendPathPercent, "0")}) / {Format(row.CpuPercent.Receiver, "0")}",
            Allocation: row.AllocatedBytesPerMessage is null ? "—" : $"{Format(row.AllocatedBytesPerMessage.Sender, "N0")} / {Format(row.AllocatedBytesPerMessage.Receiver, "N0")}",
            Status: row.Reason is null ? row.Status : $"{row.Status}: {row.Reason}");
    }

    /// <summary>µs; a value at the histograms' ceiling is only a bound (a sender that far behind), so it says so.</summary>
    private static string Micros(long? nanoseconds) => nanoseconds switch
    {
        null => "—",
        >= LatencyHistograms.HighestTrackableNanoseconds => "≥ " + (LatencyHistograms.HighestTrackableNanoseconds / 1000).ToString("N0", CultureInfo.InvariantCulture),
        long value => (value / 1000.0).ToString(value < 10_000 ? "0.00" : value < 1_000_000 ? "0.0" : "N0", CultureInfo.InvariantCulture),
    };

    private static string Format(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
