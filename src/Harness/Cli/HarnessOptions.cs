using System.CommandLine;
using System.CommandLine.Parsing;
using ShmIpc.Codecs;
using ShmIpc.Codecs.Raw;
using ShmIpc.Harness.Parent;
using ShmIpc.Harness.Parent.Reporting;
using ShmIpc.Harness.Protocol;
using ShmIpc.ShmRing.Broadcast;

namespace ShmIpc.Harness.Cli;

/// <summary>
/// The options the commands share, with the seed article's test as defaults. Each option checks its own value as
/// it is parsed, so a bad value is reported against the option's name with the forms or names allowed; then
/// <see cref="ReadRunOptions"/> and <see cref="ReadComparison"/> turn what was typed into typed settings, once.
/// </summary>
internal sealed class HarnessOptions
{
    /// <summary>What <c>--quick</c> measures instead of <c>--warmup</c> and <c>--duration</c>.</summary>
    private static readonly TimeSpan QuickWarmup = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan QuickDuration = TimeSpan.FromSeconds(5);

    public Option<IReadOnlyList<string>> Transports { get; } = new("--transports", "-t")
    {
        Description = $"Transports to compare, comma-separated: {string.Join(", ", EnumNames.All<TransportKind>())}; the default is every one but {EnumNames.Of(TransportKind.SharedMemoryBroadcast)}.",
        DefaultValueFactory = _ => DefaultTransports,
        CustomParser = result => Parse(result, (string text, out IReadOnlyList<string> value, out string error) =>
            OptionValues.TryParseList(text, EnumNames.All<TransportKind>(), out value, out error)),
    };

    /// <summary>Every transport but shm-broadcast, which is asked for by name (it starts one process per consumer).</summary>
    private static IReadOnlyList<string> DefaultTransports =>
        [.. EnumNames.All<TransportKind>().Where(name => name != EnumNames.Of(TransportKind.SharedMemoryBroadcast))];

    public Option<int> Payload { get; } = new("--payload", "-p")
    {
        Description = "Snapshot size (1k, 4k, 16k, ...): instruments = bytes / 128, so 16k is 128 instruments.",
        DefaultValueFactory = _ => 16 * 1024,
        CustomParser = result => Parse(result, (string text, out int value, out string error) => OptionValues.TryParseSize(text, out value, out error)),
    };

    /// <summary>Messages per second; 0 means flat out ('max').</summary>
    public Option<double> Rate { get; } = new("--qps", "--rate")
    {
        Description = "Offered messages per second on a fixed open-loop schedule, or 'max' for flat-out throughput.",
        DefaultValueFactory = _ => 50_000,
        CustomParser = result => Parse(result, (string text, out double value, out string error) =>
        {
            bool ok = OptionValues.TryParseRate(text, out double? rate, out error);
            value = rate ?? 0;
            return ok;
        }),
    };

    public Option<TimeSpan> Warmup { get; } = new("--warmup")
    {
        Description = "Warm-up per transport, not measured (e.g. 10s).",
        DefaultValueFactory = _ => TimeSpan.FromSeconds(10),
        CustomParser = result => Parse(result, (string text, out TimeSpan value, out string error) => OptionValues.TryParseDuration(text, out value, out error)),
    };

    public Option<TimeSpan> Duration { get; } = new("--duration", "-d")
    {
        Description = "Measured time per transport (e.g. 60s).",
        DefaultValueFactory = _ => TimeSpan.FromSeconds(60),
        CustomParser = result => Parse(result, (string text, out TimeSpan value, out string error) =>
        {
            bool ok = OptionValues.TryParseDuration(text, out value, out error);
            if (ok && value < TimeSpan.FromMilliseconds(100))
            {
                error = $"'{text}' is too short: measure for at least 100ms";
                return false;
            }
            return ok;
        }),
    };

    public Option<int> Connections { get; } = new("--connections", "-c")
    {
        Description = "Client connections for the network transports (the seed article used 256).",
        DefaultValueFactory = _ => 256,
        Validators = { result => { if (result.GetValueOrDefault<int>() is < 1 or > 4096) { result.AddError("--connections must be from 1 to 4096"); } } },
    };

    public Option<int> Batch { get; } = new("--batch")
    {
        Description = "Network senders that are behind their schedule (or flat out) may hold frames up to this many bytes and send them in one write; 0 sends every message at once. Paced and on time, every message goes at once.",
        DefaultValueFactory = _ => 64 * 1024,
        CustomParser = result => Parse(result, (string text, out int value, out string error) => OptionValues.TryParseByteCount(text, out value, out error)),
    };

    public Option<string> Codec { get; } = new("--codec")
    {
        Description = "Encoding carried by the shm transports: raw (default), fb, msgpack, protobuf (in place) or protobuf-classes (Google.Protobuf's generated classes). grpc carries protobuf, or protobuf-classes when that is chosen; the other network transports are defined by theirs.",
        CustomParser = result => Parse(result, (string text, out string value, out string error) =>
        {
            bool ok = OptionValues.TryParseList(text, SnapshotCodecs.Names, out IReadOnlyList<string> items, out error) && items.Count == 1;
            value = ok ? items[0] : RawSnapshotCodec.CodecName;
            if (!ok && error.Length == 0)
            {
                error = $"give one codec: {string.Join(", ", SnapshotCodecs.Names)}";
            }
            return ok;
        }),
    };

    public Option<string> ShmWait { get; } = new("--shm-wait")
    {
        Description = "How the shm receiver waits for data: spin (lowest latency, burns a core), yield, or block (futex, after a short spin).",
        DefaultValueFactory = _ => EnumNames.Of(ShmWaitStrategy.Spin),
    };

    public Option<string> ShmPretouch { get; } = new("--shm-pretouch")
    {
        Description = "How the shm senders write: on (halfway to each message's due time the sender readies the space its next claim takes, so the claim's writes find those cache lines already its own) or off (the claim's writes fetch each line as the payload is written, as a plain ring's copy does).",
        DefaultValueFactory = _ => "on",
    };

    public Option<int> Consumers { get; } = new("--consumers")
    {
        Description = $"shm-broadcast: receiver processes, each reading every message (1 to {BroadcastConsumer.MaxConsumers}).",
        DefaultValueFactory = _ => 1,
        Validators = { result => { if (result.GetValueOrDefault<int>() < 1 || result.GetValueOrDefault<int>() > BroadcastConsumer.MaxConsumers) { result.AddError($"--consumers must be from 1 to {BroadcastConsumer.MaxConsumers}"); } } },
    };

    public Option<string> BroadcastPolicy { get; } = new("--broadcast-policy")
    {
        Description = "shm-broadcast: lossless (the sender waits for the slowest consumer; the default, as every other transport delivers everything) or lossy (it never waits; a lapped consumer reports how many it missed).",
        DefaultValueFactory = _ => EnumNames.Of(Protocol.BroadcastPolicy.Lossless),
    };

    public Option<int> Runs { get; } = new("--runs")
    {
        Description = "Repeat every measurement this many times and report the medians.",
        DefaultValueFactory = _ => 1,
        Validators = { result => { if (result.GetValueOrDefault<int>() is < 1 or > 99) { result.AddError("--runs must be from 1 to 99"); } } },
    };

    public Option<string> Pin { get; } = new("--pin")
    {
        Description = "CPU affinity as SENDER,RECEIVER (e.g. 0,1), 'auto' (0,1 when there are two CPUs or more) or 'none'.",
        DefaultValueFactory = _ => "auto",
        Validators = { result => { if (!OptionValues.TryParsePin(result.GetValueOrDefault<string>() ?? "", out _, out string error)) { result.AddError("--pin: " + error); } } },
    };

    public Option<string> Out { get; } = new("--out", "-o")
    {
        Description = "Directory for results.json, results.csv, results.md and the .hgrm and .hlog files (default: results/<time>).",
    };

    public Option<string> Format { get; } = new("--format", "-f")
    {
        Description = "What to print on stdout: table, json, csv or md.",
        DefaultValueFactory = _ => EnumNames.Of(ReportFormat.Table),
    };

    public Option<bool> AllocationSources { get; } = new("--alloc-sources")
    {
        Description = "Also sample which types each process allocates (the runtime's allocation ticks, ~1 per 100 KB) and print the top ones per message. Adds a little overhead; off by default.",
    };

    public Option<bool> Perf { get; } = new("--perf")
    {
        Description = "Also attach `perf stat` to each child for the measured window (hardware counters where the machine has them, else software ones). Never fails the run.",
    };

    public Option<bool> Quick { get; } = new("--quick")
    {
        Description = "A first look: 2 s warm-up and 5 s measured per transport (overrides --warmup and --duration).",
    };

    /// <summary>A test hook, hidden from help: proves that a slow sender is reported as such.</summary>
    public Option<TimeSpan> SlowSender { get; } = new("--slow-sender")
    {
        Description = "Test hook: the sender spends this much longer on every message (e.g. 100us).",
        Hidden = true,
        CustomParser = result => Parse(result, (string text, out TimeSpan value, out string error) => OptionValues.TryParseDuration(text, out value, out error)),
    };

    /// <summary>A test hook, hidden from help: proves that a slow receiver is reported as such.</summary>
    public Option<TimeSpan> SlowReceiver { get; } = new("--slow-receiver")
    {
        Description = "Test hook: the receiver spends this much longer on every message (e.g. 100us).",
        Hidden = true,
        CustomParser = result => Parse(result, (string text, out TimeSpan value, out string error) => OptionValues.TryParseDuration(text, out value, out error)),
    };

    public HarnessOptions()
    {
        ShmWait.AcceptOnlyFromAmong([.. EnumNames.All<ShmWaitStrategy>()]);
        ShmPretouch.AcceptOnlyFromAmong("on", "off");
        BroadcastPolicy.AcceptOnlyFromAmong([.. EnumNames.All<Protocol.BroadcastPolicy>()]);
        Format.AcceptOnlyFromAmong([.. EnumNames.All<ReportFormat>()]);
    }

    public IEnumerable<Option> ForCompare() => [Transports, Payload, Rate, Warmup, Duration, Connections, Batch, Codec, ShmWait, ShmPretouch, Consumers, BroadcastPolicy, AllocationSources, Perf, Runs, Pin, Out, Format, Quick, SlowSender, SlowReceiver];

    public IEnumerable<Option> ForSweep() => [Transports, Rate, Warmup, Duration, Connections, Batch, Codec, ShmWait, ShmPretouch, AllocationSources, Perf, Runs, Pin, Out, Format, Quick];

    /// <summary>
    /// The options every run of the command shares. An option the command does not offer reads as its type's
    /// default (no rate: flat out; 0 connections; no pinning; spin), which is what `serve` and `send` run with.
    /// </summary>
    public RunOptions ReadRunOptions(ParseResult parse)
    {
        bool quick = parse.GetValue(Quick);
        OptionValues.TryParsePin(parse.GetValue(Pin) ?? "none", out (int Sender, int Receiver)? pin, out _);
        return new RunOptions(
            MessagesPerSecond: parse.GetValue(Rate) is > 0 and var rate ? rate : null,
            Warmup: quick ? QuickWarmup : parse.GetValue(Warmup),
            Duration: quick ? QuickDuration : parse.GetValue(Duration),
            Connections: parse.GetValue(Connections),
            BatchBytes: parse.GetValue(Batch),
            Codec: parse.GetValue(Codec),
            ShmWait: parse.GetValue(ShmWait) is string wait ? EnumNames.Parse<ShmWaitStrategy>(wait) : default,
            Pin: pin,
            SampleAllocationSources: parse.GetValue(AllocationSources),
            InjectedSendDelay: parse.GetValue(SlowSender),
            InjectedReceiveDelay: parse.GetValue(SlowReceiver),
            Consumers: Math.Max(1, parse.GetValue(Consumers)),
            BroadcastPolicy: parse.GetValue(BroadcastPolicy) is string policy ? EnumNames.Parse<Protocol.BroadcastPolicy>(policy) : default,
            ShmPretouch: parse.GetValue(ShmPretouch) != "off");
    }

    /// <summary>What `compare` or `sweep` asked for, at <paramref name="payloadSizes"/>.</summary>
    public ComparisonRequest ReadComparison(ParseResult parse, IReadOnlyList<int> payloadSizes) => new(
        Transports: [.. (parse.GetValue(Transports) ?? DefaultTransports).Select(EnumNames.Parse<TransportKind>)],
        PayloadSizes: payloadSizes,
        Options: ReadRunOptions(parse),
        Runs: parse.GetValue(Runs),
        Format: EnumNames.Parse<ReportFormat>(parse.GetValue(Format) ?? EnumNames.Of(ReportFormat.Table)),
        OutputDirectory: parse.GetValue(Out)) { Perf = parse.GetValue(Perf) };

    /// <summary>Parses one option's text; false with an error naming the allowed forms.</summary>
    internal delegate bool TryParser<T>(string text, out T value, out string error);

    /// <summary>A custom parser from a <see cref="TryParser{T}"/>: its error is reported against the option's name.</summary>
    internal static T Parse<T>(ArgumentResult result, TryParser<T> parser)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (parser(text, out T value, out string error))
        {
            return value;
        }
        string name = result.Parent is OptionResult option ? option.Option.Name : "value";
        result.AddError($"{name}: {error}");
        return value;
    }
}
