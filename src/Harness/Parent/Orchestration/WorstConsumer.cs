using HdrHistogram;
using ShmIpc.Harness.Parent.Reporting;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Parent.Orchestration;

/// <summary>
/// Which of a run's receivers stands for the run in the table: the worst status first (failed, partial, behind,
/// backlog, ok), then the most lost, then the highest p99. One receiver: that one.
/// </summary>
internal static class WorstConsumer
{
    private static readonly string[] StatusesWorstFirst =
        [TransportResult.StatusFailed, TransportResult.StatusPartial, TransportResult.StatusBehind, TransportResult.StatusBacklog, TransportResult.StatusOk];

    public static (TransportResult Row, LongHistogram Histogram, IReadOnlyList<IntervalHistogram> Intervals) Of(
        IReadOnlyList<(TransportResult Row, LongHistogram Histogram, IReadOnlyList<IntervalHistogram> Intervals)> consumers)
    {
        if (consumers.Count == 0)
        {
            throw new ArgumentException("no consumer reported", nameof(consumers));
        }
        return consumers
            .OrderBy(consumer => Rank(consumer.Row.Status))
            .ThenByDescending(consumer => consumer.Row.Lost)
            .ThenByDescending(consumer => consumer.Row.LatencyNs?.P99 ?? long.MaxValue)
            .First();
    }

    /// <summary>0 for the worst status; an unknown one counts as the worst.</summary>
    private static int Rank(string status)
    {
        int index = Array.IndexOf(StatusesWorstFirst, status);
        return index < 0 ? 0 : index;
    }
}
