using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using ShmIpc.Codecs;
using ShmIpc.Harness.Child.Roles;
using ShmIpc.Harness.Child.Transports;
using ShmIpc.Harness.Protocol;
using ShmIpc.NetTransports;
using ShmIpc.NetTransports.UnixSockets;

namespace ShmIpc.Harness.Cli;

/// <summary>
/// `harness serve`: the receiver role a comparison runs, on its own, so that the receiver of a network transport
/// can run on another host than its sender (`harness send`). Latency is only meaningful when both run on the same
/// host (CLOCK_MONOTONIC is per machine); across hosts, read the rates and counts. Exits 0 when the run was clean,
/// 1 when the transport failed or anything received was corrupt (one line on standard error says which), 2 for a
/// bad option.
/// </summary>
internal static class ServeCommand
{
    /// <summary>What --frame-timeout and --idle-timeout take for "no timeout".</summary>
    private const string NoTimeout = "none";

    /// <summary>Where --listen defaults to, but for uds (<see cref="DefaultUnixSocketListen"/>).</summary>
    private const string DefaultListen = "127.0.0.1:7000";

    /// <summary>Where a uds receiver listens by default: harness.sock in the transport library's default socket directory.</summary>
    private static string DefaultUnixSocketListen => EndPoints.UnixSocketPrefix + Path.Combine(UnixSocketPath.DefaultDirectory, "harness.sock");

    public static Command Build()
    {
        var options = new HarnessOptions();
        var defaults = new SubscriberOptions();
        Option<string> transport = TransportOption.Create();
        var listen = new Option<string>("--listen") { Description = $"Address:port to listen on (network transports; default {DefaultListen}), unix:PATH (uds; default {DefaultUnixSocketListen}), or the segment name (shm)." };
        var maxFrame = new Option<int>("--max-frame")
        {
            Description = string.Create(CultureInfo.InvariantCulture,
                $"Network transports: the largest frame (gRPC: message) accepted, in bytes (e.g. 64k, 4m); a larger one closes its connection (HTTP/2: stream). Any valid encoding up to it is read, not only our encoder's (other writers' are larger). It bounds memory: each connection (HTTP/2: stream) holds at most one incomplete frame. Default {FormatBytes(defaults.MaxPayloadLength)}."),
            DefaultValueFactory = _ => defaults.MaxPayloadLength,
            CustomParser = result => HarnessOptions.Parse(result, (string text, out int value, out string error) =>
            {
                bool ok = OptionValues.TryParseByteCount(text, out value, out error);
                if (ok && value < 1)
                {
                    error = $"'{text}' is too small: at least 1 byte";
                    return false;
                }
                return ok;
            }),
        };
        var maxConnections = new Option<int>("--max-connections")
        {
            Description = string.Create(CultureInfo.InvariantCulture,
                $"Network transports: connections served at once; one more is closed at once, with one log line per run of refusals. msgpack and uds give the first {ReceiverThreading.MaxDedicatedReceiveThreads} a receive thread each and serves the rest on the thread pool. Default {defaults.MaxConnections}."),
            DefaultValueFactory = _ => defaults.MaxConnections,
            Validators = { result => { if (result.GetValueOrDefault<int>() < 1) { result.AddError("--max-connections must be at least 1"); } } },
        };
        Option<TimeSpan> frameTimeout = TimeoutOption("--frame-timeout",
            "fb, msgpack and uds: a frame whose first bytes arrived must be complete within this time (e.g. 30s), or its connection (HTTP/2: stream) is closed: a peer cannot hold one with half a frame", defaults.FrameReadTimeout);
        Option<TimeSpan> idleTimeout = TimeoutOption("--idle-timeout",
            "fb, msgpack and uds: a connection (HTTP/2: stream) that sends nothing between frames for this long (e.g. 5m) is closed", defaults.IdleTimeout);
        var command = new Command("serve", "Run only the receiving side of one transport and print what it received.")
        {
            transport, listen, options.Payload, options.Warmup, options.Duration, options.Codec, options.ShmWait, maxFrame, maxConnections, frameTimeout, idleTimeout,
        };
        // Not async: the receiver runs on this thread (the process's main thread), never on a thread-pool worker (ReceiverRole).
        command.SetAction((parse, cancellation) => Task.FromResult(Serve(parse, cancellation)));

        int Serve(ParseResult parse, CancellationToken cancellation)
        {
            RunSettings settings = RunSettings.For(TransportOption.Read(parse, transport), parse.GetValue(options.Payload), options.ReadRunOptions(parse));
            string? given = parse.GetValue(listen);
            string where = given ?? DefaultListen;
            if (settings.UsesSegment)
            {
                settings = settings with { SegmentName = where };
            }
            else if (settings.UsesUnixSocket)
            {
                if (!EndPoints.TryParseUnixSocket(given ?? DefaultUnixSocketListen, out var socket, out string error))
                {
                    Console.Error.WriteLine($"serve: --listen: {error}");
                    return 2;
                }
                settings = settings with { ListenSocketPath = socket!.ToString() };
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

            int ownLargest = SnapshotCodecs.Get(settings.Codec).GetMaxEncodedLength(settings.InstrumentCount);
            if (!settings.UsesSegment && parse.GetValue(maxFrame) < ownLargest)
            {
                Console.Error.WriteLine($"serve: --max-frame: {parse.GetValue(maxFrame)} bytes would refuse this harness's own {settings.Codec} snapshots of up to {ownLargest} bytes at --payload {settings.PayloadBytes}");
                return 2;
            }

            settings = settings with
            {
                MaxFrameBytes = parse.GetValue(maxFrame),
                MaxConnections = parse.GetValue(maxConnections),
                FrameReadTimeout = parse.GetValue(frameTimeout),
                IdleTimeout = parse.GetValue(idleTimeout),
            };
            var control = new TerminalReceiverControl(settings, cancellation);
            try
            {
                int exitCode = new ReceiverRole(settings, control).Run();
                if (exitCode == 0 && control.Fault is string fault)
                {
                    Console.Error.WriteLine($"serve: {fault}");
                    return 1;
                }
                return exitCode;
            }
            catch (TransportFaultException exception)
            {
                Console.Error.WriteLine($"serve: {exception.Message}");
                return 1;
            }
        }
        return command;
    }

    private static Option<TimeSpan> TimeoutOption(string name, string description, TimeSpan defaultValue) => new(name)
    {
        Description = $"{description}; '{NoTimeout}' for no limit. Default {FormatTimeout(defaultValue)}.",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => HarnessOptions.Parse(result, (string text, out TimeSpan value, out string error) =>
        {
            value = Timeout.InfiniteTimeSpan;
            error = "";
            if (string.Equals(text.Trim(), NoTimeout, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
            bool ok = OptionValues.TryParseDuration(text, out value, out error);
            if (ok && value <= TimeSpan.Zero)
            {
                error = $"'{text}' is not a timeout: give a positive duration or '{NoTimeout}'";
                return false;
            }
            return ok;
        }),
    };

    private static string FormatTimeout(TimeSpan timeout) =>
        timeout == Timeout.InfiniteTimeSpan ? NoTimeout : string.Create(CultureInfo.InvariantCulture, $"{timeout.TotalSeconds:0.###}s");

    private static string FormatBytes(int bytes) =>
        bytes % (1024 * 1024) == 0 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024 * 1024)}m")
        : bytes % 1024 == 0 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024}k")
        : bytes.ToString(CultureInfo.InvariantCulture);
}
