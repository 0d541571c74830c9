using System.Globalization;
using HdrHistogram;
using ShmIpc.Harness.Child.Measurement;
using ShmIpc.Harness.Child.Roles;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Cli;

/// <summary>
/// `harness serve` runs the receiver role for a user at a terminal: no parent hands it a start time, so the window
/// opens at the first message; the run ends one second after the window, or at Ctrl+C; the report is printed.
/// </summary>
internal sealed class TerminalReceiverControl : IReceiverControl
{
    /// <summary>How often the wait for the window's end looks at the clock.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Stragglers may still arrive this long after the window (the sender's schedule runs a little past it).</summary>
    private static readonly TimeSpan AfterWindow = TimeSpan.FromSeconds(1);

    private readonly RunSettings _settings;
    private readonly CancellationToken _cancellation;

    public TerminalReceiverControl(RunSettings settings, CancellationToken cancellation)
    {
        _settings = settings;
        _cancellation = cancellation;
    }

    public bool StartsAtFirstMessage => true;

    /// <summary>
    /// After <see cref="Report"/>: what makes the run a failure, or null. Corrupt payloads, and a ring error (the shm
    /// receiver stops at one). A network peer whose connection was closed is not: the server outlives bad clients.
    /// </summary>
    public string? Fault { get; private set; }

    public void Ready(string endpoint) =>
        Console.Error.WriteLine($"serve: {EnumNames.Of(_settings.Transport)}/{_settings.Codec} receiving at {endpoint}; measuring {_settings.Duration.TotalSeconds:0.#} s after a {_settings.Warmup.TotalSeconds:0.#} s warm-up from the first message (Ctrl+C stops)");

    public bool TryWaitForStart(out long runStartNanoseconds) =>
        throw new InvalidOperationException("a receiver on its own starts at its first message");

    /// <summary>Until the window (opened by the first message) has passed; false (stopped early) at Ctrl+C or when the receiver can take no more.</summary>
    public bool TryWaitForSenderDone(LatencyRecording recording, Func<bool> receiverFailed, out long? messagesSent)
    {
        messagesSent = null;
        while (!_cancellation.IsCancellationRequested && !receiverFailed()
            && (!recording.IsStarted || MonotonicClock.NowNanoseconds() < recording.Window.EndNanoseconds + MonotonicClock.ToNanoseconds(AfterWindow)))
        {
            _cancellation.WaitHandle.WaitOne(PollInterval);
        }
        return !_cancellation.IsCancellationRequested && !receiverFailed();
    }

    public void Report(ReceiverReport report)
    {
        long corrupt = report.ContentErrors + report.OutOfRange;
        bool ringFailed = _settings.UsesSegment && report.TransportErrors > 0;
        Fault = (corrupt, ringFailed) switch
        {
            ( > 0, true) => string.Create(CultureInfo.InvariantCulture, $"{EnumNames.Of(_settings.Transport)}: the ring failed and {corrupt:N0} payloads were corrupt"),
            ( > 0, false) => string.Create(CultureInfo.InvariantCulture, $"{EnumNames.Of(_settings.Transport)}: {corrupt:N0} payloads were corrupt"),
            (_, true) => $"{EnumNames.Of(_settings.Transport)}: the ring failed (its error is above); receiving stopped there",
            _ => null,
        };
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"received {report.Received:N0} ({report.Unique:N0} distinct, {report.Duplicates} duplicates, {report.ContentErrors + report.OutOfRange} corrupt)"));
        if (report.WindowSeconds > 0)
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"in the window: {report.ReceivedInWindow / report.WindowSeconds:N0} msg/s, {report.BytesInWindow / report.WindowSeconds / 1e6:N1} MB/s"));
        }
        HistogramBase histogram = HistogramTransfer.FromPairs(report.Histogram);
        if (histogram.TotalCount > 0)
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"latency from intended send (meaningful only with the sender on this host) µs: p50 {histogram.GetValueAtPercentile(50) / 1e3:0.0}, p99 {histogram.GetValueAtPercentile(99) / 1e3:0.0}, p99.9 {histogram.GetValueAtPercentile(99.9) / 1e3:0.0}, max {histogram.GetMaxValue() / 1e3:0.0}"));
        }
    }
}
