using System.Globalization;

namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>
/// Whether a paced row kept its schedule, judged from its figures over time: a sender that fell behind is "behind", a
/// receiver that worked off a queue is "backlog", and neither is ever "ok". The thresholds are absolute on purpose: a
/// message that waited a millisecond behind others was in a queue, whatever the transport, and a percentile over the
/// whole window can hide a queue that lasted seconds.
/// </summary>
internal static class ScheduleVerdict
{
    /// <summary>An interval whose median message waited this long (or whose sender was this late) had a queue.</summary>
    public const long QueueNanoseconds = 1_000_000;

    /// <summary>Latency that ends the window this many times higher than it began it (and above <see cref="RiseFloorNanoseconds"/>) is rising.</summary>
    public const double RiseFactor = 4;

    public const long RiseFloorNanoseconds = 100_000;

    /// <summary>
    /// An interval in which one message in a hundred waited this long had a queue of at least that long, though its
    /// median did not show it (a stall that delayed under half of that second, or that spanned two seconds).
    /// </summary>
    public const long StallNanoseconds = 10_000_000;

    /// <summary>
    /// The status and its reason, or null when the row kept its schedule. <paramref name="latency"/> and
    /// <paramref name="lateness"/> are by interval of the window, in order; intervals with no message are ignored.
    /// </summary>
    public static (string Status, string Reason)? Judge(
        double offered, double achieved, IReadOnlyList<IntervalSummary> latency, IReadOnlyList<IntervalSummary> lateness)
    {
        if (Worst(lateness) is (IntervalSummary late, int lateIndex) && late.P50Ns > QueueNanoseconds)
        {
            return (TransportResult.StatusBehind, Text(
                $"the sender fell behind its schedule: lateness p50 {DurationText.Of(late.P50Ns)} in second {lateIndex + 1} of {lateness.Count} (max {DurationText.Of(late.MaxNs)})"));
        }

        if (achieved > offered / ResultBuilder.KeptRateFraction)
        {
            return (TransportResult.StatusBacklog, Text(
                $"delivered {achieved:N0} msg/s, more than the {offered:N0} offered: it was working off a backlog"));
        }

        List<IntervalSummary> seen = [.. latency.Where(interval => interval.Count > 0)];
        if (seen.Count == 0)
        {
            return null;
        }

        if (seen[0].P50Ns > QueueNanoseconds)
        {
            return (TransportResult.StatusBacklog, Text(
                $"started the window with a backlog from the warm-up: p50 {DurationText.Of(seen[0].P50Ns)} in its first second"));
        }

        if (Worst(latency) is (IntervalSummary worst, int index) && worst.P50Ns > QueueNanoseconds)
        {
            return (TransportResult.StatusBacklog, Text(
                $"a backlog formed: p50 {DurationText.Of(worst.P50Ns)} in second {index + 1} of {latency.Count}"));
        }

        if (WorstTail(latency) is (IntervalSummary stalled, int stalledIndex) && stalled.P99Ns > StallNanoseconds)
        {
            return (TransportResult.StatusBacklog, Text(
                $"a queue formed: p99 {DurationText.Of(stalled.P99Ns)} in second {stalledIndex + 1} of {latency.Count}, though its p50 was {DurationText.Of(stalled.P50Ns)}"));
        }

        long first = seen[0].P50Ns, last = seen[^1].P50Ns;
        if (last > RiseFloorNanoseconds && last > RiseFactor * first)
        {
            return (TransportResult.StatusBacklog, Text(
                $"latency rose over the window: p50 {DurationText.Of(first)} in the first second, {DurationText.Of(last)} in the last"));
        }

        return null;
    }

    /// <summary>The interval with the highest median, and its index.</summary>
    private static (IntervalSummary Interval, int Index)? Worst(IReadOnlyList<IntervalSummary> intervals) =>
        Highest(intervals, interval => interval.P50Ns);

    /// <summary>The interval with the highest p99, and its index.</summary>
    private static (IntervalSummary Interval, int Index)? WorstTail(IReadOnlyList<IntervalSummary> intervals) =>
        Highest(intervals, interval => interval.P99Ns);

    private static (IntervalSummary Interval, int Index)? Highest(IReadOnlyList<IntervalSummary> intervals, Func<IntervalSummary, long> figure)
    {
        (IntervalSummary Interval, int Index)? worst = null;
        for (int i = 0; i < intervals.Count; i++)
        {
            if (intervals[i].Count > 0 && (worst is null || figure(intervals[i]) > figure(worst.Value.Interval)))
            {
                worst = (intervals[i], i);
            }
        }
        return worst;
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
