using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>
/// Reduces repeated runs of the same setting to one row: the median of every figure (this machine's
/// vCPUs move, so single runs swing; medians of several are what the docs quote), except max, which
/// is the largest of any run, and the counts, which are summed. The status is the worst of the
/// repeats, so one failure is never hidden by good company. (The .hgrm file pools every run; the .hlog keeps each run's intervals, tagged.)
/// </summary>
internal static class RunMedian
{
    public static TransportResult Of(IReadOnlyList<TransportResult> repeats)
    {
        if (repeats.Count == 1)
        {
            return repeats[0];
        }
        TransportResult worst = repeats.OrderByDescending(row => Severity(row.Status)).First();
        List<TransportResult> measured = repeats.Where(row => row.LatencyNs is not null).ToList();
        if (measured.Count == 0)
        {
            return worst with { Runs = repeats.Count };
        }
        TransportResult first = measured[0];
        return first with
        {
            EncodedBytes = Median(measured, row => row.EncodedBytes),
            AchievedMsgPerSec = Median(measured, row => row.AchievedMsgPerSec),
            ThroughputMBps = Median(measured, row => row.ThroughputMBps),
            SenderMsgPerSec = Median(measured, row => row.SenderMsgPerSec),
            LatencyNs = new LatencyPercentiles(
                (long)Median(measured, row => row.LatencyNs!.P50),
                (long)Median(measured, row => row.LatencyNs!.P90),
                (long)Median(measured, row => row.LatencyNs!.P99),
                (long)Median(measured, row => row.LatencyNs!.P999),
                (long)Median(measured, row => row.LatencyNs!.P9999),
                measured.Max(row => row.LatencyNs!.Max),
                Median(measured, row => row.LatencyNs!.Mean),
                measured.Sum(row => row.LatencyNs!.Count)),
            CpuPercent = measured.All(row => row.CpuPercent is not null)
                ? new PerSide<double>(Median(measured, row => row.CpuPercent!.Sender), Median(measured, row => row.CpuPercent!.Receiver))
                : null,
            AllocatedBytesPerSec = measured.All(row => row.AllocatedBytesPerSec is not null)
                ? new PerSide<double>(Median(measured, row => row.AllocatedBytesPerSec!.Sender), Median(measured, row => row.AllocatedBytesPerSec!.Receiver))
                : null,
            AllocatedBytesPerMessage = measured.All(row => row.AllocatedBytesPerMessage is not null)
                ? new PerSide<double>(Median(measured, row => row.AllocatedBytesPerMessage!.Sender), Median(measured, row => row.AllocatedBytesPerMessage!.Receiver))
                : null,
            // A list of types has no median: each side's comes from the run whose total per message is the median one
            // (the upper middle of an even count), so the lines and the total printed above them agree.
            AllocationSources = measured.All(row => row.AllocationSources is not null && row.AllocatedBytesPerMessage is not null)
                ? new PerSide<IReadOnlyList<AllocationSource>>(
                    MedianRun(measured, row => row.AllocatedBytesPerMessage!.Sender).AllocationSources!.Sender,
                    MedianRun(measured, row => row.AllocatedBytesPerMessage!.Receiver).AllocationSources!.Receiver)
                : null,
            Sent = repeats.Sum(row => row.Sent),
            Received = repeats.Sum(row => row.Received),
            Lost = repeats.Sum(row => row.Lost),
            Duplicates = repeats.Sum(row => row.Duplicates),
            Unsent = repeats.Sum(row => row.Unsent),
            Errors = repeats.Sum(row => row.Errors),
            SendLatenessP50Ns = (long)Median(measured, row => row.SendLatenessP50Ns),
            SendLatenessP99Ns = (long)Median(measured, row => row.SendLatenessP99Ns),
            SenderSendPathPercent = Median(measured, row => row.SenderSendPathPercent),
            HarnessOverheadNs = measured.All(row => row.HarnessOverheadNs is not null)
                ? new PerSide<double>(Median(measured, row => row.HarnessOverheadNs!.Sender), Median(measured, row => row.HarnessOverheadNs!.Receiver))
                : null,
            GcCount = measured.All(row => row.GcCount is not null)
                ? new PerSide<GarbageCollections>(
                    new GarbageCollections((int)Median(measured, row => row.GcCount!.Sender.Gen0), (int)Median(measured, row => row.GcCount!.Sender.Gen1), (int)Median(measured, row => row.GcCount!.Sender.Gen2)),
                    new GarbageCollections((int)Median(measured, row => row.GcCount!.Receiver.Gen0), (int)Median(measured, row => row.GcCount!.Receiver.Gen1), (int)Median(measured, row => row.GcCount!.Receiver.Gen2)))
                : null,
            // JIT in the window is the worst repeat's: any compile there took CPU from a measurement.
            Jit = measured.All(row => row.Jit is not null)
                ? new PerSide<JitInWindow>(
                    measured.Select(row => row.Jit!.Sender).MaxBy(jit => jit.Milliseconds)!,
                    measured.Select(row => row.Jit!.Receiver).MaxBy(jit => jit.Milliseconds)!)
                : null,
            // Figures over time have no median: they are the worst run's, the one whose status the row shows.
            LatencyOverTime = worst.LatencyOverTime,
            SendLatenessOverTime = worst.SendLatenessOverTime,
            // Interference is the worst run's too: a noisy repeat taints the medians it took part in.
            Interference = repeats.Select(row => row.Interference).OfType<HostInterference>().MaxBy(interference => interference.TotalPercent),
            // A leak in any repeat is the row's.
            Leaks = repeats.Select(row => row.Leaks).OfType<LeakCheck>().OrderByDescending(leaks => leaks.Leaked).FirstOrDefault(),
            Status = worst.Status,
            // Its figures are that run's, not the row's medians: say so.
            Reason = worst.Reason is null ? null : $"in the worst of {repeats.Count} runs, {worst.Reason}",
            Runs = repeats.Count,
        };
    }

    private static int Severity(string status) => status switch
    {
        TransportResult.StatusOk => 0,
        TransportResult.StatusBacklog => 1,
        TransportResult.StatusBehind => 2,
        TransportResult.StatusPartial => 3,
        _ => 4,
    };

    private static TransportResult MedianRun(IReadOnlyList<TransportResult> rows, Func<TransportResult, double> figure) =>
        rows.OrderBy(figure).ElementAt(rows.Count / 2);

    private static double Median(IReadOnlyList<TransportResult> rows, Func<TransportResult, double> figure)
    {
        double[] values = rows.Select(figure).Order().ToArray();
        int middle = values.Length / 2;
        return values.Length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
