using HdrHistogram;

namespace ShmIpc.Harness.Measurement;

/// <summary>
/// The receiver's side of the measurement. Called once per message, after the transport's codec
/// has read every field: takes the receive time first, then records
/// <c>latency = receive time − intended send time</c> into an HdrHistogram for messages whose
/// intended send time falls in the measurement window (warm-up messages are counted, not recorded).
/// Safe to call from several receive threads at once (one per connection); allocates nothing.
/// </summary>
internal sealed class LatencyRecorder
{
    /// <summary>Latencies from 1 ns to 60 s at 3 significant digits (0.1 % resolution).</summary>
    public const long HighestTrackableNanoseconds = 60_000_000_000;
    public const int SignificantDigits = 3;

    private readonly LongConcurrentHistogram _histogram = new(1, HighestTrackableNanoseconds, SignificantDigits);
    private readonly SequenceTracker _sequences;
    private MeasurementWindow _window = MeasurementWindow.NotStarted;
    private long _received;
    private long _receivedInWindow;
    private long _bytesInWindow;
    private long _contentErrors;
    private TimeSpan? _autoStartWarmup;
    private TimeSpan _autoStartDuration;
    private int _autoStarted;

    public LatencyRecorder(long expectedMessages) => _sequences = new SequenceTracker(expectedMessages);

    public HistogramBase Histogram => _histogram;

    public SequenceTracker Sequences => _sequences;

    /// <summary>All messages seen, warm-up included.</summary>
    public long Received => Volatile.Read(ref _received);

    /// <summary>Messages whose receive time fell in the window: the delivered rate's numerator.</summary>
    public long ReceivedInWindow => Volatile.Read(ref _receivedInWindow);

    public long BytesInWindow => Volatile.Read(ref _bytesInWindow);

    /// <summary>Messages whose content did not match what the sender sent (wrong instrument count, checksum).</summary>
    public long ContentErrors => Volatile.Read(ref _contentErrors);

    public MeasurementWindow Window
    {
        get => _window;
        set => _window = value;
    }

    /// <summary>A message that could not be read, or whose content differed from what was sent.</summary>
    public void CountContentError() => Interlocked.Increment(ref _contentErrors);

    /// <summary>
    /// For a receiver with no parent to give it the start time (`harness serve`): the window opens
    /// <paramref name="warmup"/> after the first message's intended send time.
    /// </summary>
    public void StartWindowAtFirstMessage(TimeSpan warmup, TimeSpan duration)
    {
        _autoStartWarmup = warmup;
        _autoStartDuration = duration;
    }

    /// <summary>Records one message whose every field was just read. Call <see cref="CountContentError"/> after it if its content was wrong.</summary>
    public void Record(long sequence, long intendedSendNanoseconds, int payloadBytes)
    {
        long receivedAt = MonotonicClock.NowNanoseconds();
        if (_autoStartWarmup is TimeSpan warmup && Interlocked.Exchange(ref _autoStarted, 1) == 0)
        {
            _window = MeasurementWindow.After(intendedSendNanoseconds, warmup, _autoStartDuration);
        }
        MeasurementWindow window = _window;
        Interlocked.Increment(ref _received);
        _sequences.Mark(sequence);
        if (window.Contains(receivedAt))
        {
            Interlocked.Increment(ref _receivedInWindow);
            Interlocked.Add(ref _bytesInWindow, payloadBytes);
        }
        if (window.Contains(intendedSendNanoseconds))
        {
            long latency = receivedAt - intendedSendNanoseconds;
            _histogram.RecordValue(Math.Clamp(latency, 1, HighestTrackableNanoseconds));
        }
    }
}
