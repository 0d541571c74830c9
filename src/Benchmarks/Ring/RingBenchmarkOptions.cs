using System.Globalization;

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
        "       ring-throughput [--size 16384] [--seconds 10] [--runs 1] [--c-reference PATH]\n" +
        "--c-reference: the C tool of shared/tools/limits (gcc -O2), run alternately with ours; in latency mode its\n" +
        "pingpong before each run records the vCPUs' placement, and each pair's ratio is printed with their median.";

    public required string Mode { get; init; }

    /// <summary>--help or -h was given: print <see cref="Usage"/> and run nothing.</summary>
    public bool Help { get; init; }

    public int Size { get; init; } = 16384;

    public int Rate { get; init; } = 50_000;

    public double Seconds { get; init; } = 10;

    public int Runs { get; init; } = 1;

    /// <summary>Path of the C tool from shared/tools/limits (built with gcc -O2), run alternately with ours.</summary>
    public string? CReference { get; init; }

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
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        if (options.Size < RingMessage.HeaderLength)
        {
            throw new ArgumentException($"--size must be at least {RingMessage.HeaderLength}");
        }

        return options;
    }

    private static int Whole(string option, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number > 0
            ? number
            : throw new ArgumentException($"{option}: '{value}' is not a positive whole number");
}
