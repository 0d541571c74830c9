using HdrHistogram;
using ShmIpc.Codecs;
using ShmIpc.Harness.Child.Measurement;
using ShmIpc.Harness.Child.Transports;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Child.Roles;

/// <summary>
/// The sender's loop: message n is due at start + n / rate; it waits (spinning) until then,
/// stamps the snapshot with that due time, and sends it. It sends every scheduled message, late if
/// it must (a late message carries its lateness into the latency), until a grace period past the
/// window's end; what it never got to is reported as unsent. Flat out, each message is stamped
/// with the time it is sent. When the next message is already due (behind, or flat out) it tells
/// the transport so, and a frame transport may send several in one write (--batch). On schedule, halfway between
/// the end of one send and the next due time, it lets the transport prepare for the next message
/// (<see cref="ISnapshotSender.PrepareForNext"/>): late enough that the receiver is done reading the last one.
/// </summary>
internal static class OpenLoopSender
{
    public static Outcome Run(
        ISnapshotSender sender, SnapshotPool pool, double? messagesPerSecond, long maximumMessages,
        long runStart, MeasurementWindow window, Func<bool> abortRequested, TimeSpan injectedSendDelay = default)
    {
        long injectedDelay = MonotonicClock.ToNanoseconds(injectedSendDelay);
        var schedule = new OpenLoopSchedule(runStart, messagesPerSecond);
        long runLength = window.EndNanoseconds - runStart;
        // Flat out, the receiver's exactly-once bitmap bounds the run: stop there rather than overflow it.
        long scheduled = Math.Min(schedule.CountDueWithin(runLength), maximumMessages);
        // A sender that falls behind keeps going this long past the window, then gives up and says so.
        long giveUpAt = window.EndNanoseconds + Math.Max(1_000_000_000, runLength / 10);
        var lateness = new WindowedHistograms(window.LengthNanoseconds);
        long sentInWindow = 0;
        long sendPathNanoseconds = 0;
        long index = 0;
        bool aborted = false;
        // The flush once on the idle transport before the schedule: else its code would first run, and be compiled,
        // as the window closes.
        sender.Flush();
        if (schedule.IsFlatOut)
        {
            OpenLoopSchedule.SpinUntil(runStart);
        }
        long idleSince = MonotonicClock.NowNanoseconds();
        for (; index < scheduled; index++)
        {
            if (abortRequested())
            {
                aborted = true;
                break;
            }
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
                if (OpenLoopSchedule.SpinUntil(idleSince + ((due - idleSince) / 2)) < due)
                {
                    sender.PrepareForNext();
                }
                now = OpenLoopSchedule.SpinUntil(due);
                if (now >= giveUpAt)
                {
                    break;
                }
            }
            if (injectedDelay > 0)
            {
                // A test hook: a sender slowed on purpose (as if encoding took this long).
                OpenLoopSchedule.SpinUntil(now + injectedDelay);
            }
            MarketSnapshot snapshot = pool.For(index);
            snapshot.Sequence = index;
            snapshot.SendTimestampNs = due;
            // Behind (the next message is due already) or flat out: the transport may batch this one with the next.
            bool moreDue = index + 1 < scheduled && (schedule.IsFlatOut || schedule.DueTime(index + 1) <= now);
            sender.Send(snapshot, moreDue);

            // Wall time inside Send: encoding and handing over (and any wait for backpressure), without the schedule's spinning.
            idleSince = MonotonicClock.NowNanoseconds();
            long sendPath = idleSince - now;
            if (window.Contains(now))
            {
                sentInWindow++;
                sendPathNanoseconds += sendPath;
            }
            if (!schedule.IsFlatOut)
            {
                lateness.Record(window, due, Math.Clamp(now - due, 1, LatencyHistograms.HighestTrackableNanoseconds));
            }
        }
        sender.Flush();
        return new Outcome(lateness, window, index, sentInWindow, schedule.IsFlatOut || aborted ? 0 : scheduled - index, sendPathNanoseconds, aborted);
    }

    /// <summary>
    /// What the schedule did, as it ended. Made into a report only once the usage sampler has taken its end sample (a
    /// thread on the same pinned CPU, that may wake a few ms late): the report's percentiles and copies of the
    /// histograms, compiled and allocated before it, were counted as the window's.
    /// </summary>
    public sealed record Outcome(WindowedHistograms Lateness, MeasurementWindow Window, long Sent, long SentInWindow, long Unsent, long SendPathNanoseconds, bool Aborted)
    {
        public SenderReport ToReport() => new()
        {
            Sent = Sent,
            SentInWindow = SentInWindow,
            Unsent = Unsent,
            SendLatenessP50Nanoseconds = Lateness.Histogram.TotalCount == 0 ? 0 : Lateness.Histogram.GetValueAtPercentile(50),
            SendLatenessP99Nanoseconds = Lateness.Histogram.TotalCount == 0 ? 0 : Lateness.Histogram.GetValueAtPercentile(99),
            LatenessIntervals = Lateness.Intervals.ToTransfer(),
            WindowSeconds = Window.LengthNanoseconds / 1e9,
            SendPathPercent = 100.0 * SendPathNanoseconds / Window.LengthNanoseconds,
            Aborted = Aborted,
        };
    }
}
