using System.CommandLine;
using System.Globalization;
using HdrHistogram;
using ShmIpc.Harness.Child.Measurement;
using ShmIpc.Harness.Child.Roles;
using ShmIpc.Harness.Child.Transports;
using ShmIpc.Harness.Protocol;
using ShmIpc.NetTransports;

namespace ShmIpc.Harness.Cli;

/// <summary>
/// `harness serve` and `harness send`: one side of a run each, so the receiver of a network
/// transport can run on another host. Latency is only meaningful when both run on the same host
/// (CLOCK_MONOTONIC is per machine); across hosts, read the rates and counts.
/// </summary>
internal static class StandaloneCommands
{
    public static Command BuildServe()
    {
        var options = new HarnessOptions();
        var transport = TransportOption();
        var listen = new Option<string>("--listen") { Description = "Address:port to listen on (network transports), or the segment name (shm).", DefaultValueFactory = _ => "127.0.0.1:7000" };
        var command = new Command("serve", "Run only the receiving side of one transport and print what it received.") { transport, listen, options.Payload, options.Warmup, options.Duration, options.Codec, options.ShmWait };
        command.SetAction(async (parse, cancellation) =>
        {
            RunSettings settings = Settings(parse, options, parse.GetValue(transport)!);
            string where = parse.GetValue(listen)!;
            if (settings.Transport == TransportKind.SharedMemory)
            {
                settings = settings with { SegmentName = where };
            }
            else if (EndPoints.TryParse(where, out var endPoint))
            {
                settings = settings with { ListenAddress = endPoint.Address.ToString(), ListenPort = endPoint.Port };
            }
            else
            {
                Console.Error.WriteLine($"serve: --listen: '{where}' is not ADDRESS:PORT (e.g. 0.0.0.0:7000)");
                return 2;
            }
            var recording = new LatencyRecording(settings.MaximumMessages());
            recording.StartWindowAtFirstMessage(settings.Warmup, settings.Duration);
            ISnapshotReceiver receiver = await TransportFactory.CreateReceiverAsync(settings, recording).ConfigureAwait(false);
            try
            {
                Console.Error.WriteLine($"serve: {EnumNames.Of(settings.Transport)}/{settings.Codec} receiving at {receiver.Endpoint}; measuring {settings.Duration.TotalSeconds:0.#} s after a {settings.Warmup.TotalSeconds:0.#} s warm-up from the first message (Ctrl+C stops)");
                while (!cancellation.IsCancellationRequested
                    && (!recording.IsStarted || MonotonicClock.NowNanoseconds() < recording.Window.EndNanoseconds + 1_000_000_000))
                {
                    await Task.Delay(100, CancellationToken.None).ConfigureAwait(false);
                }
            }
            finally
            {
                await receiver.DisposeAsync().ConfigureAwait(false);
            }
            RecordingTotals totals = recording.Complete();
            double seconds = recording.IsStarted ? Math.Max(1e-9, recording.Window.ElapsedAt(MonotonicClock.NowNanoseconds()) / 1e9) : 0;
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"received {totals.Received:N0} ({totals.Unique:N0} distinct, {totals.Duplicates} duplicates, {totals.ContentErrors + totals.OutOfRange} corrupt)"));
            if (seconds > 0)
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"in the window: {totals.ReceivedInWindow / seconds:N0} msg/s, {totals.BytesInWindow / seconds / 1e6:N1} MB/s"));
            }
            HistogramBase histogram = totals.Histogram;
            if (histogram.TotalCount > 0)
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"latency from intended send (meaningful only with the sender on this host) µs: p50 {histogram.GetValueAtPercentile(50) / 1e3:0.0}, p99 {histogram.GetValueAtPercentile(99) / 1e3:0.0}, p99.9 {histogram.GetValueAtPercentile(99.9) / 1e3:0.0}, max {histogram.GetMaxValue() / 1e3:0.0}"));
            }
            return 0;
        });
        return command;
    }

    public static Command BuildSend()
    {
        var options = new HarnessOptions();
        var transport = TransportOption();
        var connect = new Option<string>("--connect") { Description = "Receiver address:port (network transports), or the segment name (shm).", Required = true };
        var command = new Command("send", "Run only the sending side of one transport, on the open-loop schedule.") { transport, connect, options.Payload, options.Rate, options.Warmup, options.Duration, options.Connections, options.Batch, options.Codec };
        command.SetAction(async (parse, cancellation) =>
        {
            RunSettings settings = Settings(parse, options, parse.GetValue(transport)!);
            string target = parse.GetValue(connect)!;
            if (settings.Transport != TransportKind.SharedMemory && !EndPoints.TryParse(target, out _))
            {
                Console.Error.WriteLine($"send: --connect: '{target}' is not ADDRESS:PORT (e.g. 10.0.0.5:7000)");
                return 2;
            }
            var pool = new SnapshotPool(settings.Seed, settings.InstrumentCount, RunSettings.SnapshotPoolSize);
            await using ISnapshotSender sender = await TransportFactory.CreateSenderAsync(settings, target).ConfigureAwait(false);
            long start = MonotonicClock.NowNanoseconds() + 100_000_000;
            MeasurementWindow window = MeasurementWindow.After(start, settings.Warmup, settings.Duration);
            SenderReport report;
            try
            {
                report = OpenLoopSender.Run(sender, pool, settings.MessagesPerSecond, settings.MaximumMessages(), start, window, () => cancellation.IsCancellationRequested);
            }
            catch (Exception exception) when (exception is TransportException or InvalidOperationException)
            {
                // The receiver went away (or the ring stayed full): say so in one line, not a stack trace.
                Console.Error.WriteLine($"send: stopped: {exception.Message}");
                return 1;
            }
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"sent {report.Sent:N0} ({report.SentInWindow / report.WindowSeconds:N0} msg/s in the window), {report.Unsent:N0} scheduled but never sent; schedule lateness p50 {report.SendLatenessP50Nanoseconds / 1e3:0.0} µs, p99 {report.SendLatenessP99Nanoseconds / 1e3:0.0} µs"));
            return 0;
        });
        return command;
    }

    private static Option<string> TransportOption()
    {
        var option = new Option<string>("--transport") { Description = "One of: shm, grpc, fb, msgpack.", Required = true };
        option.AcceptOnlyFromAmong([.. EnumNames.All<TransportKind>()]);
        return option;
    }

    private static RunSettings Settings(ParseResult parse, HarnessOptions options, string transport) =>
        RunSettings.For(EnumNames.Parse<TransportKind>(transport), parse.GetValue(options.Payload), options.ReadRunOptions(parse));
}
