using HdrHistogram;
using ShmIpc.Codecs;
using ShmIpc.Harness.Measurement;
using ShmIpc.Harness.Transports;

namespace ShmIpc.Harness.Roles;

/// <summary>
/// The sender's loop: message n is due at start + n / rate; it waits (spinning) until then,
/// stamps the snapshot with that due time, and sends it. It sends every scheduled message, late if
/// it must (a late message carries its lateness into the latency), until a grace period past the
/// window's end; what it never got to is reported as unsent. Flat out, each message is stamped
/// with the time it is sent.
/// </summary>
internal static class OpenLoopSender
{
    public static SenderReport Run(ISnapshotSender sender, SnapshotPool pool, double? messagesPerSecond, long runStart, MeasurementWindow window, Func<bool> abortRequested)
    {
        var schedule = new OpenLoopSchedule(runStart, messagesPerSecond);
        long runLength = window.EndNanoseconds - runStart;
        long scheduled = schedule.CountDueWithin(runLength);
        // A sender that falls behind keeps going this long past the window, then gives up and says so.
        long giveUpAt = window.EndNanoseconds + Math.Max(1_000_000_000, runLength / 10);
        var lateness = new LongHistogram(1, LatencyRecorder.HighestTrackableNanoseconds, LatencyRecorder.SignificantDigits);
        long sentInWindow = 0;
        long sendPathNanoseconds = 0;
        long index = 0;
        if (schedule.IsFlatOut)
        {
            OpenLoopSchedule.SpinUntil(runStart);
        }
        for (; index < scheduled && !abortRequested(); index++)
        {
            long due;
            long now;
            if (schedule.IsFlatOut)
            {
                now = MonotonicClock.NowNanoseconds();
                due = now;
                if (now >= window.EndNanoseconds)
                {
                    break;
                }
            }
            else
            {
                due = schedule.DueTime(index);
                now = OpenLoopSchedule.SpinUntil(due);
                if (now >= giveUpAt)
                {
                    break;
                }
                lateness.RecordValue(Math.Clamp(now - due, 1, LatencyRecorder.HighestTrackableNanoseconds));
            }
            MarketSnapshot snapshot = pool.For(index);
            snapshot.Sequence = index;
            snapshot.SendTimestampNs = due;
            sender.Send(snapshot);
            if (window.Contains(now))
            {
                sentInWindow++;
                // Wall time inside Send: the sender's CPU for encoding and handing over, without the schedule's spinning.
                sendPathNanoseconds += MonotonicClock.NowNanoseconds() - now;
            }
        }
        sender.Flush();
        return new SenderReport
        {
            Sent = index,
            SentInWindow = sentInWindow,
            Unsent = schedule.IsFlatOut || abortRequested() ? 0 : scheduled - index,
            SendLatenessP50Nanoseconds = lateness.TotalCount == 0 ? 0 : lateness.GetValueAtPercentile(50),
            SendLatenessP99Nanoseconds = lateness.TotalCount == 0 ? 0 : lateness.GetValueAtPercentile(99),
            SendLatenessMaxNanoseconds = lateness.TotalCount == 0 ? 0 : lateness.GetMaxValue(),
            WindowSeconds = window.LengthNanoseconds / 1e9,
            SendPathPercent = 100.0 * sendPathNanoseconds / window.LengthNanoseconds,
        };
    }
}
