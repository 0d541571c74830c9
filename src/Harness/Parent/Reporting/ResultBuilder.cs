using System.Globalization;
using HdrHistogram;
using ShmIpc.Harness.Parent.HostLoad;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>Turns the sender's and receiver's reports into one row, and decides its status.</summary>
internal static class ResultBuilder
{
    /// <summary>Below this fraction of the offered rate a transport is "behind".</summary>
    public const double KeptRateFraction = 0.98;

    /// <summary>With <paramref name="hostLoad"/> (the host's CPU over the window) the row also says what else ran meanwhile.</summary>
    public static TransportResult Build(RunSettings settings, SenderReport sender, ReceiverReport receiver, HistogramBase histogram, WindowLoad? hostLoad = null)
    {
        double window = receiver.WindowSeconds > 0 ? receiver.WindowSeconds : settings.Duration.TotalSeconds;
        double achieved = receiver.ReceivedInWindow / window;
        long lost = Math.Max(0, sender.Sent - receiver.Unique);
        long errors = lost + receiver.Duplicates + receiver.ContentErrors + receiver.OutOfRange + receiver.TransportErrors;
        bool aborted = sender.Aborted || receiver.Aborted;
        double sentPerSecond = sender.WindowSeconds > 0 ? sender.SentInWindow / sender.WindowSeconds : 0;
        IReadOnlyList<IntervalSummary> latencyOverTime = Summarize(receiver.Intervals);
        IReadOnlyList<IntervalSummary> latenessOverTime = Summarize(sender.LatenessIntervals);

        string status = TransportResult.StatusOk;
        string? reason = null;
        if (aborted)
        {
            status = TransportResult.StatusPartial;
            reason = "interrupted: figures cover only part of the run";
        }
        else if (errors > 0)
        {
            status = TransportResult.StatusFailed;
            reason = string.Create(CultureInfo.InvariantCulture,
                $"{lost} lost, {receiver.Duplicates} duplicated, {receiver.ContentErrors + receiver.OutOfRange} corrupt, {receiver.TransportErrors} transport errors");
        }
        else if (settings.MessagesPerSecond is double offered && (sender.Unsent > 0 || achieved < KeptRateFraction * offered))
        {
            status = TransportResult.StatusBehind;
            string unsent = sender.Unsent > 0
                ? string.Create(CultureInfo.InvariantCulture, $", {sender.Unsent:N0} scheduled messages never sent (their latencies, the worst, are not in the percentiles)")
                : "";
            reason = string.Create(CultureInfo.InvariantCulture, $"could not keep the offered rate: delivered {achieved:N0} of {offered:N0} msg/s{unsent}");
        }
        else if (settings.MessagesPerSecond is double paced
            && ScheduleVerdict.Judge(paced, achieved, latencyOverTime, latenessOverTime) is (string late, string why))
        {
            status = late;
            reason = why;
        }

        return new TransportResult
        {
            Transport = EnumNames.Of(settings.Transport),
            Codec = settings.Codec,
            PayloadBytes = settings.PayloadBytes,
            InstrumentCount = settings.InstrumentCount,
            EncodedBytes = receiver.ReceivedInWindow == 0 ? 0 : (double)receiver.BytesInWindow / receiver.ReceivedInWindow,
            OfferedMsgPerSec = settings.MessagesPerSecond,
            AchievedMsgPerSec = achieved,
            ThroughputMBps = receiver.BytesInWindow / window / 1e6,
            SenderMsgPerSec = sentPerSecond,
            LatencyNs = histogram.TotalCount == 0 ? null : new LatencyPercentiles(
                histogram.GetValueAtPercentile(50),
                histogram.GetValueAtPercentile(90),
                histogram.GetValueAtPercentile(99),
                histogram.GetValueAtPercentile(99.9),
                histogram.GetValueAtPercentile(99.99),
                histogram.GetMaxValue(),
                histogram.GetMean(),
                histogram.TotalCount),
            CpuPercent = sender.Usage is null || receiver.Usage is null ? null : new PerSide<double>(sender.Usage.CpuPercent, receiver.Usage.CpuPercent),
            AllocatedBytesPerSec = sender.Usage is null || receiver.Usage is null ? null : new PerSide<double>(sender.Usage.AllocatedBytesPerSecond, receiver.Usage.AllocatedBytesPerSecond),
            AllocatedBytesPerMessage = sender.Usage is null || receiver.Usage is null ? null : new PerSide<double>(
                PerMessage(sender.Usage.AllocatedBytesPerSecond, sentPerSecond), PerMessage(receiver.Usage.AllocatedBytesPerSecond, achieved)),
            AllocationSources = sender.Usage?.AllocationSources is { } sent && receiver.Usage?.AllocationSources is { } received
                ? new PerSide<IReadOnlyList<AllocationSource>>(PerMessage(sent, sentPerSecond), PerMessage(received, achieved))
                : null,
            GcCount = sender.Usage is null || receiver.Usage is null ? null : new PerSide<GarbageCollections>(
                new GarbageCollections(sender.Usage.Gen0Collections, sender.Usage.Gen1Collections, sender.Usage.Gen2Collections),
                new GarbageCollections(receiver.Usage.Gen0Collections, receiver.Usage.Gen1Collections, receiver.Usage.Gen2Collections)),
            Jit = sender.Usage is null || receiver.Usage is null ? null : new PerSide<JitInWindow>(
                new JitInWindow(sender.Usage.JitCompiledMethods, sender.Usage.JitMilliseconds),
                new JitInWindow(receiver.Usage.JitCompiledMethods, receiver.Usage.JitMilliseconds)),
            Sent = sender.Sent,
            Received = receiver.Received,
            Lost = lost,
            RingMissed = receiver.MissedRecords,
            Duplicates = receiver.Duplicates,
            Unsent = sender.Unsent,
            Errors = errors,
            SendLatenessP50Ns = sender.SendLatenessP50Nanoseconds,
            SendLatenessP99Ns = sender.SendLatenessP99Nanoseconds,
            LatencyOverTime = latencyOverTime,
            SendLatenessOverTime = latenessOverTime,
            SenderSendPathPercent = sender.SendPathPercent,
            HarnessOverheadNs = new PerSide<double>(sender.StampOverheadNanoseconds, receiver.RecordOverheadNanoseconds),
            Interference = hostLoad is null || sender.Usage is null || receiver.Usage is null ? null
                : HostInterference.Over(hostLoad, (sender.Usage.CpuPercent + receiver.Usage.CpuPercent) / 100 * hostLoad.Seconds),
            Status = status,
            Reason = reason,
        };
    }

    /// <summary>Each interval's count, p50, p99 and max.</summary>
    public static IReadOnlyList<IntervalSummary> Summarize(IReadOnlyList<IntervalHistogram> intervals) =>
    [
        .. intervals.Select(interval =>
        {
            LongHistogram histogram = HistogramTransfer.FromPairs(interval.Histogram);
            return histogram.TotalCount == 0
                ? new IntervalSummary(interval.StartSeconds, interval.LengthSeconds, 0, 0, 0, 0)
                : new IntervalSummary(interval.StartSeconds, interval.LengthSeconds, histogram.TotalCount,
                    histogram.GetValueAtPercentile(50), histogram.GetValueAtPercentile(99), histogram.GetMaxValue());
        }),
    ];

    private static double PerMessage(double bytesPerSecond, double messagesPerSecond) =>
        messagesPerSecond > 0 ? bytesPerSecond / messagesPerSecond : 0;

    private static IReadOnlyList<AllocationSource> PerMessage(IReadOnlyList<AllocationSource> perSecond, double messagesPerSecond) =>
        [.. perSecond.Select(source => source with { Bytes = PerMessage(source.Bytes, messagesPerSecond) })];

    public static TransportResult Failed(RunSettings settings, string status, string reason) => new()
    {
        Transport = EnumNames.Of(settings.Transport),
        Codec = settings.Codec,
        PayloadBytes = settings.PayloadBytes,
        InstrumentCount = settings.InstrumentCount,
        OfferedMsgPerSec = settings.MessagesPerSecond,
        Status = status,
        Reason = reason,
    };
}
