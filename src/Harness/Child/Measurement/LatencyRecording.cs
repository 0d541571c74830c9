using HdrHistogram;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Child.Measurement;

/// <summary>
/// A receiver's whole measurement: the window, the exactly-once bitmap, and one
/// <see cref="LatencyRecorder"/> per receive thread. <see cref="Complete"/> merges them once the
/// receive threads have stopped (the transport is disposed), so nothing is read while written.
/// </summary>
internal sealed class LatencyRecording
{
    private static readonly MeasurementWindow NotStarted = new(long.MaxValue, long.MaxValue);

    private readonly List<LatencyRecorder> _recorders = [];
    private MeasurementWindow _window = NotStarted;
    private (TimeSpan Warmup, TimeSpan Duration)? _startAtFirstMessage;

    /// <param name="expectedMessages">Sizes the exactly-once bitmap.</param>
    /// <param name="windowNanoseconds">The measured window's length: each recorder makes its <see cref="LatencyIntervals"/> up front.</param>
    public LatencyRecording(long expectedMessages, long windowNanoseconds = LatencyIntervals.LengthNanoseconds)
    {
        Sequences = new SequenceTracker(expectedMessages);
        WindowNanoseconds = windowNanoseconds;
    }

    public long WindowNanoseconds { get; }

    public SequenceTracker Sequences { get; }

    public MeasurementWindow Window
    {
        // SYNC POINT (acquire): pairs with the release in the setter; a receive thread that sees the window also sees ExpectedSchedule.
        get => Volatile.Read(ref _window);

        // SYNC POINT (release): publishes ExpectedSchedule with the window; partner: the acquire in WindowFor (receive threads) and the getter.
        set => Volatile.Write(ref _window, value);
    }

    public bool IsStarted => !ReferenceEquals(Window, NotStarted);

    /// <summary>
    /// The sender's schedule, when it has one: every stamp must then be exactly the due time of its
    /// sequence number, which checks the start point of every latency. Set it before
    /// <see cref="Window"/> (whose volatile write publishes it to the receive threads).
    /// </summary>
    public OpenLoopSchedule? ExpectedSchedule { get; set; }

    /// <summary>
    /// For a receiver with no parent to give it the start time (`harness serve`): the window opens
    /// <paramref name="warmup"/> after the first message arrives, by this host's clock (the sender
    /// may be on another host, whose CLOCK_MONOTONIC means nothing here).
    /// </summary>
    public void StartWindowAtFirstMessage(TimeSpan warmup, TimeSpan duration) => _startAtFirstMessage = (warmup, duration);

    /// <summary>A recorder for one receive thread.</summary>
    public LatencyRecorder CreateRecorder()
    {
        var recorder = new LatencyRecorder(this);
        lock (_recorders)
        {
            _recorders.Add(recorder);
        }
        return recorder;
    }

    /// <summary>All messages seen so far, warm-up included (approximate while receiving: for the drain wait).</summary>
    public long Received
    {
        get
        {
            lock (_recorders)
            {
                return _recorders.Sum(recorder => recorder.Received);
            }
        }
    }

    internal MeasurementWindow WindowFor(long receivedAt)
    {
        // SYNC POINT (acquire): partner: the release in the Window setter (the control thread's start).
        MeasurementWindow window = Volatile.Read(ref _window);
        if (ReferenceEquals(window, NotStarted) && _startAtFirstMessage is (TimeSpan warmup, TimeSpan duration))
        {
            MeasurementWindow opened = MeasurementWindow.After(receivedAt, warmup, duration);
            // SYNC POINT (full fence): the first message opens the window once; partner: this same exchange on other receive threads.
            window = Interlocked.CompareExchange(ref _window, opened, NotStarted);
            return ReferenceEquals(window, NotStarted) ? opened : window;
        }
        return window;
    }

    /// <summary>Merges every thread's figures. Call after the receive threads have stopped.</summary>
    public RecordingTotals Complete()
    {
        LongHistogram histogram = LatencyHistograms.Create();
        var intervals = new IntervalHistograms(WindowNanoseconds);
        long received = 0, receivedInWindow = 0, bytesInWindow = 0, duplicates = 0, outOfRange = 0, contentErrors = 0;
        lock (_recorders)
        {
            foreach (LatencyRecorder recorder in _recorders)
            {
                histogram.Add(recorder.Histogram);
                intervals.Add(recorder.Intervals);
                received += recorder.Received;
                receivedInWindow += recorder.ReceivedInWindow;
                bytesInWindow += recorder.BytesInWindow;
                duplicates += recorder.Duplicates;
                outOfRange += recorder.OutOfRange;
                contentErrors += recorder.ContentErrors;
            }
        }
        return new RecordingTotals(histogram, intervals, received, receivedInWindow, bytesInWindow, Sequences.CountUnique(), duplicates, outOfRange, contentErrors);
    }
}
