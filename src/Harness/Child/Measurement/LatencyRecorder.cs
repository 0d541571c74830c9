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

    private readonly WindowedHistograms _latencies;

    internal LatencyRecorder(LatencyRecording recording)
    {
        _recording = recording;
        _latencies = new WindowedHistograms(recording.WindowNanoseconds);
    }

    internal LongHistogram Histogram => _latencies.Histogram;

    /// <summary>The same latencies by the interval of the window each message was due in.</summary>
    internal IntervalHistograms Intervals => _latencies.Intervals;

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
        _latencies.Record(window, intendedSendNanoseconds, Math.Clamp(receivedAt - intendedSendNanoseconds, 1, LatencyHistograms.HighestTrackableNanoseconds));
    }

    /// <summary>A message that could not be read, or whose content differed from what was sent.</summary>
    public void CountContentError() => ContentErrors++;
}
