using System.Globalization;
using ShmIpc.ShmRing;
using ShmIpc.ShmRing.Broadcast;

namespace ShmIpc.Benchmarks.Ring;

/// <summary>Arguments of the ring benchmarks (<see cref="Usage"/>).</summary>
internal sealed record RingBenchmarkOptions
{
    /// <summary>Latency: messages before the measured ones (as the C tool's 20,000), so the ring code is tiered up.</summary>
    public const int WarmupMessages = 20_000;

    /// <summary>Throughput: the first half second is not counted (the ring code tiers up); the producer runs that much longer.</summary>
    public static readonly long ThroughputWarmupTicks = System.Diagnostics.Stopwatch.Frequency / 2;

    /// <summary>What --help prints, and what a bad argument is followed by.</summary>
    public const string Usage =
        "usage: ring-latency [--size 16384] [--rate 50000] [--seconds 10] [--runs 1] [--c-reference PATH]\n" +
        "                    [--ring spsc|broadcast] [--consumers 1] [--wait spin|yield|block] [--policy lossy|lossless]\n" +
        "                    [--pretouch on|off]\n" +
        "       ring-throughput [--size 16384] [--seconds 10] [--runs 1] [--c-reference PATH]\n" +
        "--c-reference: the C tool of shared/tools/limits (gcc -O2), run alternately with ours; in latency mode its\n" +
        "pingpong before each run records the vCPUs' placement, and each pair's ratio is printed with their median.\n" +
        "--ring broadcast: each run is an SPSC run then a broadcast run with --consumers consumer processes, both with\n" +
        "--wait; each pair's ratios (broadcast / SPSC) are printed with their median. Consumers all run on CPU 1.\n" +
        "--pretouch on (the default): halfway between messages the producer readies the next record's lines\n" +
        "(RingProducer.Pretouch); off: the claim's writes fetch them, as the C tool's copy does.";

    public required string Mode { get; init; }

    /// <summary>--help or -h was given: print <see cref="Usage"/> and run nothing.</summary>
    public bool Help { get; init; }

    public int Size { get; init; } = 16384;

    public int Rate { get; init; } = 50_000;

    public double Seconds { get; init; } = 10;

    public int Runs { get; init; } = 1;

    /// <summary>Path of the C tool from shared/tools/limits (built with gcc -O2), run alternately with ours.</summary>
    public string? CReference { get; init; }

    /// <summary>Which ring: <see cref="RingKind.SingleProducer"/> (SPSC) or <see cref="RingKind.Broadcast"/>.</summary>
    public RingKind Ring { get; init; } = RingKind.SingleProducer;

    /// <summary>Consumer processes of a broadcast ring (an SPSC ring has one).</summary>
    public int Consumers { get; init; } = 1;

    /// <summary>How consumers wait for records (and the producer for space).</summary>
    public RingWaitStrategy Wait { get; init; } = RingWaitStrategy.BusySpin;

    /// <summary>A broadcast ring's slow-consumer policy.</summary>
    public SlowConsumerPolicy Policy { get; init; } = SlowConsumerPolicy.Lossy;

    /// <summary>Latency: whether the producer calls <see cref="RingProducer.Pretouch"/> halfway to each message's due time.</summary>
    public bool Pretouch { get; init; } = true;

    /// <summary>Measured messages in latency mode (after the warm-up), as the C tool's N.</summary>
    public int LatencySamples => (int)(Rate * Seconds);

    public static RingBenchmarkOptions Parse(string[] args)
    {
        var options = new RingBenchmarkOptions { Mode = args[0] };
        for (int i = 1; i < args.Length; i += 2)
        {
            if (args[i] is "--help" or "-h")
            {
                return options with { Help = true };
            }

            string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--size" => options with { Size = Whole(args[i], value) },
                "--rate" => options with { Rate = Whole(args[i], value) },
                "--seconds" => options with { Seconds = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds > 0 ? seconds : throw new ArgumentException($"--seconds: '{value}' is not a positive number") },
                "--runs" => options with { Runs = Whole(args[i], value) },
                "--c-reference" => options with { CReference = value },
                "--ring" => options with { Ring = Named(args[i], value, RingNames) },
                "--consumers" => options with { Consumers = Whole(args[i], value) },
                "--wait" => options with { Wait = Named(args[i], value, WaitNames) },
                "--policy" => options with { Policy = Named(args[i], value, PolicyNames) },
                "--pretouch" => options with { Pretouch = Named(args[i], value, SwitchNames) },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        if (options.Size < RingMessage.HeaderLength)
        {
            throw new ArgumentException($"--size must be at least {RingMessage.HeaderLength}");
        }

        if (options.Ring == RingKind.Broadcast && options.Mode != "ring-latency")
        {
            throw new ArgumentException("--ring broadcast is measured in ring-latency only");
        }

        if (options.Consumers > (options.Ring == RingKind.Broadcast ? BroadcastConsumer.MaxConsumers : 1))
        {
            throw new ArgumentException(options.Ring == RingKind.Broadcast
                ? $"--consumers: at most {BroadcastConsumer.MaxConsumers}"
                : "--consumers: an SPSC ring has one consumer (use --ring broadcast)");
        }

        return options;
    }

    /// <summary>The options a consumer process needs to open the same ring the same way (parsed back by <see cref="Parse"/>).</summary>
    public string[] RingArguments() =>
        [Mode, "--size", Size.ToString(CultureInfo.InvariantCulture), "--ring", Name(Ring, RingNames), "--wait", Name(Wait, WaitNames), "--policy", Name(Policy, PolicyNames)];

    /// <summary>How the run is labelled in its output line.</summary>
    public string Describe() => (Ring == RingKind.Broadcast
        ? $"ring=broadcast consumers={Consumers} wait={Name(Wait, WaitNames)} policy={Name(Policy, PolicyNames)}"
        : $"ring=spsc wait={Name(Wait, WaitNames)}") + $" pretouch={Name(Pretouch, SwitchNames)}";

    private static readonly (string Name, RingKind Value)[] RingNames = [("spsc", RingKind.SingleProducer), ("broadcast", RingKind.Broadcast)];

    private static readonly (string Name, RingWaitStrategy Value)[] WaitNames =
        [("spin", RingWaitStrategy.BusySpin), ("yield", RingWaitStrategy.SpinThenYield), ("block", RingWaitStrategy.SpinThenBlock)];

    private static readonly (string Name, bool Value)[] SwitchNames = [("on", true), ("off", false)];

    private static readonly (string Name, SlowConsumerPolicy Value)[] PolicyNames = [("lossy", SlowConsumerPolicy.Lossy), ("lossless", SlowConsumerPolicy.Lossless)];

    private static T Named<T>(string option, string value, (string Name, T Value)[] names)
    {
        foreach ((string name, T named) in names)
        {
            if (name == value)
            {
                return named;
            }
        }

        throw new ArgumentException($"{option}: '{value}' is not one of {string.Join(", ", names.Select(n => n.Name))}");
    }

    private static string Name<T>(T value, (string Name, T Value)[] names)
        where T : struct => names.First(n => n.Value.Equals(value)).Name;

    private static int Whole(string option, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number > 0
            ? number
            : throw new ArgumentException($"{option}: '{value}' is not a positive whole number");
}
