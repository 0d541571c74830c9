using System.Globalization;

namespace ShmIpc.Benchmarks.Ring;

/// <summary>
/// Arguments of the ring benchmarks:
/// <c>ring-latency [--size 16384] [--rate 50000] [--seconds 10] [--runs 1] [--c-reference PATH]</c> and
/// <c>ring-throughput [--size 16384] [--seconds 5] [--runs 1] [--c-reference PATH]</c>.
/// </summary>
internal sealed record RingBenchmarkOptions
{
    public const int WarmupMessages = 20_000;

    public required string Mode { get; init; }

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
            string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--size" => options with { Size = int.Parse(value, CultureInfo.InvariantCulture) },
                "--rate" => options with { Rate = int.Parse(value, CultureInfo.InvariantCulture) },
                "--seconds" => options with { Seconds = double.Parse(value, CultureInfo.InvariantCulture) },
                "--runs" => options with { Runs = int.Parse(value, CultureInfo.InvariantCulture) },
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
}
