using System.Globalization;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>A row's figures formatted for people (table and Markdown share them): latencies in their own unit, counts with thousands separators.</summary>
internal sealed record ResultCells(
    string Payload, string Offered, string Achieved, string Throughput,
    string P50, string P90, string P99, string P999, string P9999, string Max,
    string Cpu, string Allocation, string Interference, string Status)
{
    public static ResultCells Of(TransportResult row)
    {
        LatencyPercentiles? latency = row.LatencyNs;
        return new ResultCells(
            Payload: Format(row.EncodedBytes > 0 ? row.EncodedBytes : row.PayloadBytes, "N0"),
            Offered: row.OfferedMsgPerSec is double offered ? Format(offered, "N0") : "max",
            Achieved: row.Status == TransportResult.StatusFailed && row.LatencyNs is null ? "—" : Format(row.AchievedMsgPerSec, "N0"),
            Throughput: row.LatencyNs is null && row.AchievedMsgPerSec == 0 ? "—" : Format(row.ThroughputMBps, "N0"),
            P50: Latency(latency?.P50),
            P90: Latency(latency?.P90),
            P99: Latency(latency?.P99),
            P999: Latency(latency?.P999),
            P9999: Latency(latency?.P9999),
            Max: Latency(latency?.Max),
            Cpu: row.CpuPercent is null ? "—" : $"{Format(row.CpuPercent.Sender, "0")} ({Format(row.SenderSendPathPercent, "0")}) / {Format(row.CpuPercent.Receiver, "0")}",
            Allocation: row.AllocatedBytesPerMessage is null ? "—" : $"{Format(row.AllocatedBytesPerMessage.Sender, "N0")} / {Format(row.AllocatedBytesPerMessage.Receiver, "N0")}",
            Interference: row.Interference is null ? "—" : Format(row.Interference.TotalPercent, "0.0") + (row.Interference.Noisy ? " noisy" : ""),
            Status: row.Reason is null ? row.Status : $"{row.Status}: {row.Reason}");
    }

    /// <summary>
    /// Each latency in its own unit (<see cref="DurationText"/>); a value at the histograms' ceiling is only a bound
    /// (a sender that far behind), so it says so.
    /// </summary>
    public static string Latency(long? nanoseconds) => nanoseconds switch
    {
        null => "—",
        >= LatencyHistograms.HighestTrackableNanoseconds => "≥" + DurationText.Of(LatencyHistograms.HighestTrackableNanoseconds),
        long value => DurationText.Of(value),
    };

    private static string Format(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
