using HdrHistogram;
using ShmIpc.Harness.Parent.HostLoad;
using ShmIpc.Harness.Parent.Orchestration;
using ShmIpc.Harness.Parent.Reporting;
using ShmIpc.Harness.Protocol;
using ShmIpc.ShmRing;

namespace ShmIpc.Harness.Parent;

/// <summary>
/// Runs a plan of transport runs one after another (never two at once: they would share the two
/// CPUs), repeats it <c>runs</c> times, and reduces repeats to medians. Stops early, keeping what
/// it has, when cancelled.
/// </summary>
internal static class ComparisonRunner
{
    public static async Task<(IReadOnlyList<TransportResult> Rows, bool Partial)> RunAsync(
        IReadOnlyList<RunSettings> plan, int runs, IRunProgress progress, string outputDirectory, CancellationToken cancellation, bool perf = false)
    {
        // Indexed by plan position: two entries of a plan may have equal settings.
        List<TransportResult>[] repeatsByPlan = [.. plan.Select(_ => new List<TransportResult>())];
        var histograms = new HistogramBase?[plan.Count];
        List<IReadOnlyList<IntervalHistogram>>[] intervalsByPlan = [.. plan.Select(_ => new List<IReadOnlyList<IntervalHistogram>>())];
        DateTimeOffset started = DateTimeOffset.UtcNow;
        bool partial = false;
        for (int run = 0; run < runs && !partial; run++)
        {
            for (int index = 0; index < plan.Count; index++)
            {
                if (cancellation.IsCancellationRequested)
                {
                    partial = true;
                    break;
                }
                HostResources before = HostResources.Snapshot();
                (TransportResult row, HistogramBase? histogram, IReadOnlyList<IntervalHistogram> intervals, IReadOnlyList<ChildLeakCheck> children) = await TransportRun.RunAsync(plan[index], progress, cancellation, perf).ConfigureAwait(false);
                // After the run has stopped its children and removed what they left: anything still there is a leak.
                string? segmentLeft = plan[index].SegmentName is string segment && RingFiles.Exists(segment) ? segment : null;
                row = row with { Leaks = LeakCheck.Between(before, HostResources.Snapshot(), segmentLeft, children) };
                progress.Finished(row);
                repeatsByPlan[index].Add(row);
                if (histogram is not null)
                {
                    histograms[index] = histograms[index] is HistogramBase merged ? Merge(merged, histogram) : histogram;
                }
                if (intervals.Count > 0)
                {
                    intervalsByPlan[index].Add(intervals);
                }
                partial |= row.Status == TransportResult.StatusPartial;
            }
        }

        var rows = new List<TransportResult>();
        for (int index = 0; index < plan.Count; index++)
        {
            List<TransportResult> repeats = repeatsByPlan[index];
            if (repeats.Count == 0)
            {
                continue;
            }
            TransportResult row = RunMedian.Of(repeats);
            if (histograms[index] is HistogramBase histogram)
            {
                row = row with
                {
                    HistogramFile = ReportWriter.WriteHistogram(histogram, outputDirectory, row),
                    TailModel = TailModel.Of([.. HistogramTransfer.ToPairs(histogram).Select(pair => (pair[0], pair[1]))]),
                };
            }
            if (intervalsByPlan[index].Count > 0)
            {
                row = row with { IntervalLogFile = ReportWriter.WriteIntervalLog(intervalsByPlan[index], started, outputDirectory, row) };
            }
            rows.Add(row);
        }
        return (rows, partial);
    }

    private static HistogramBase Merge(HistogramBase into, HistogramBase from)
    {
        into.Add(from);
        return into;
    }
}
