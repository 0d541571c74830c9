using HdrHistogram;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Child.Measurement;

/// <summary>
/// One receiver's side of the measurement, used by one thread at a time. Called once per message, after the transport's
/// codec has read every field: takes the receive time first, then records
/// <c>latency = receive time − intended send time</c> for messages whose intended send time falls
/// in the measurement window (warm-up messages are counted, and recorded only into histograms that are thrown away). Plain fields and a
/// plain histogram: not thread-safe. A receive thread of its own holds one for good; threads the
/// transport's library picks rent one per delivery (the pool's exchange and compare-exchange are full
/// fences, so each renter sees the last one's writes). The receive path pays one atomic (the
/// exactly-once bitmap) and no shared cache line.
/// </summary>
internal sealed class LatencyRecorder
{
    private readonly LatencyRecording _recording;

    // One writer at a time (whoever holds this recorder); the control thread reads it for the drain wait.
    private long _received;

    // Messages due outside the window go through the same recording code into these, and are thrown away: code first
    // run when the window opens would be compiled, then recompiled by tiering, on this process's pinned CPU inside it.
    private readonly LongHistogram _unmeasured = LatencyHistograms.Create();
    private readonly IntervalHistograms _unmeasuredIntervals = new(LatencyIntervals.LengthNanoseconds);

    internal LatencyRecorder(LatencyRecording recording)
    {
        _recording = recording;
        Intervals = new IntervalHistograms(recording.WindowNanoseconds);
    }

    internal LongHistogram Histogram { get; } = LatencyHistograms.Create();

    /// <summary>The same latencies by the interval of the window each message was due in.</summary>
    internal IntervalHistograms Intervals { get; }

    internal long Received => Volatile.Read(ref _received);

    internal long ReceivedInWindow { get; private set; }

    internal long BytesInWindow { get; private set; }

    internal long Duplicates { get; private set; }

    internal long OutOfRange { get; private set; }

    internal long ContentErrors { get; private set; }

    /// <summary>Records one message whose every field was just read.</summary>
    public void Record(long sequence, long intendedSendNanoseconds, int payloadBytes)
    {
        long receivedAt = MonotonicClock.NowNanoseconds();
        MeasurementWindow window = _recording.WindowFor(receivedAt);
        _received++;
        switch (_recording.Sequences.Mark(sequence))
        {
            case SequenceMark.Duplicate:
                Duplicates++;
                break;
            case SequenceMark.OutOfRange:
                OutOfRange++;
                break;
        }
        if (window.Contains(receivedAt))
        {
            ReceivedInWindow++;
            BytesInWindow += payloadBytes;
        }
        if (_recording.ExpectedSchedule is OpenLoopSchedule schedule && schedule.DueTime(sequence) != intendedSendNanoseconds)
        {
            // Stamped with something other than its due time: its latency would start from the wrong point.
            ContentErrors++;
        }
        long latency = Math.Clamp(receivedAt - intendedSendNanoseconds, 1, LatencyHistograms.HighestTrackableNanoseconds);
        if (window.Contains(intendedSendNanoseconds))
        {
            Histogram.RecordValue(latency);
            Intervals.Record(intendedSendNanoseconds - window.StartNanoseconds, latency);
        }
        else
        {
            _unmeasured.RecordValue(latency);
            _unmeasuredIntervals.Record(0, latency);
        }
    }

    /// <summary>A message that could not be read, or whose content differed from what was sent.</summary>
    public void CountContentError() => ContentErrors++;
}
