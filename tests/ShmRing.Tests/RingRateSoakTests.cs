using System.Diagnostics;
using System.Globalization;
using ShmIpc.ShmRing.Tests.Support;
using Xunit.Abstractions;

namespace ShmIpc.ShmRing.Tests;

/// <summary>
/// The rate soak: four MPSC producer processes writing SHMIPC_RING_SOAK_RATE records a second between them (default
/// 50,000) for SHMIPC_RING_SOAK_SECONDS (CI: 5; `./run-linux.sh soak`: 1,800), every record checked byte for byte
/// by the consumer in this process, and each process's resident memory and descriptors sampled over the run: a leak
/// shows as growth from the warm sample (a quarter in) to the last. Figures in docs/reliability.md, "Ring".
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class RingRateSoakTests(ITestOutputHelper output)
{
    private const int Producers = 4;
    private const int Seed = 7;
    private const long RssGrowthLimitKiB = 16 * 1024;
    private static readonly double Seconds = double.TryParse(Environment.GetEnvironmentVariable("SHMIPC_RING_SOAK_SECONDS"), CultureInfo.InvariantCulture, out double s) ? s : 5;
    private static readonly int Rate = int.TryParse(Environment.GetEnvironmentVariable("SHMIPC_RING_SOAK_RATE"), CultureInfo.InvariantCulture, out int r) ? r : 50_000;

    [Fact]
    public void FourProducersAtRate_LoseNothing_AndHoldMemoryAndDescriptorsLevel()
    {
        string name = TestRing.UniqueName("rate-soak");
        var options = new RingOptions
        {
            Kind = RingKind.MultiProducer,
            Capacity = 1 << 20,
            MaxRecordSize = 1024,
            WaitStrategy = RingWaitStrategy.SpinThenYield,
            PeerCheckInterval = TimeSpan.FromMilliseconds(20),
        };
        using var consumer = RingConsumer.Create(name, options);
        var producers = new PeerProcess[Producers];
        for (int p = 0; p < Producers; p++)
        {
            producers[p] = PeerProcess.Start(PeerProcess.Ring("produce-at", name, options, p + 1, Rate / Producers, Seconds, Seed));
        }

        int[] pids = [Environment.ProcessId, .. producers.Select(p => p.Id)];
        var samples = new List<ResourceSample>();
        var clock = Stopwatch.StartNew();
        TimeSpan interval = TimeSpan.FromSeconds(Math.Max(0.5, Seconds / 30));
        using var sampler = new Timer(_ =>
        {
            var sample = new ResourceSample(clock.Elapsed, [.. pids.Select(ResidentKiB)], [.. pids.Select(Descriptors)]);
            lock (samples)
            {
                samples.Add(sample);
            }
        }, null, TimeSpan.Zero, interval);

        var tally = new RecordTally();
        long[] received = RecordStreamCheck.ReadUntilPeerGone(consumer, options, Producers, Seed, TimeSpan.FromSeconds(30), tally);
        sampler.Dispose();
        long[] written = [.. producers.Select(p => long.Parse(p.NextLine(TimeSpan.FromSeconds(30))!.Split(' ')[1], CultureInfo.InvariantCulture))];
        TimeSpan elapsed = clock.Elapsed;
        foreach (PeerProcess producer in producers)
        {
            Assert.Equal(0, producer.WaitForExit(TimeSpan.FromSeconds(30)));
            producer.Dispose();
        }

        output.WriteLine($"{Producers} MPSC producers, {Rate:N0} records/s offered for {Seconds} s: {tally.Records:N0} records checked in {elapsed.TotalSeconds:0.0} s ({tally.Records / elapsed.TotalSeconds:N0}/s); lost {tally.Lost}, duplicated {tally.Duplicated}, torn {tally.Torn}, hangs {tally.Hangs}");
        output.WriteLine("t (s) | consumer RSS KiB / fds | producers RSS KiB / fds");
        ResourceSample[] taken;
        lock (samples)
        {
            taken = [.. samples];
        }

        foreach (ResourceSample sample in taken)
        {
            output.WriteLine($"{sample.At.TotalSeconds,6:0.0} | {sample.ResidentKiB[0]} / {sample.Descriptors[0]} | {string.Join(", ", Enumerable.Range(1, Producers).Select(i => $"{sample.ResidentKiB[i]} / {sample.Descriptors[i]}"))}");
        }

        Assert.Equal(0, tally.Lost);
        Assert.Equal(0, tally.Duplicated);
        Assert.Equal(0, tally.Torn);
        Assert.Equal(0, tally.Hangs);
        Assert.Equal(written, received.Skip(1));
        Assert.Equal((long)(Rate / Producers * Seconds) * Producers, written.Sum());
        AssertLevel(taken);
    }

    /// <summary>Each process, from its warm sample (a quarter in) to its last sample alive: descriptors equal, memory within the limit.</summary>
    private static void AssertLevel(ResourceSample[] samples)
    {
        Assert.True(samples.Length >= 4, $"{samples.Length} samples");
        ResourceSample warm = samples[samples.Length / 4];
        for (int process = 0; process <= Producers; process++)
        {
            ResourceSample last = samples.Last(s => s.Descriptors[process] >= 0 && s.ResidentKiB[process] >= 0);
            Assert.True(last.Descriptors[process] <= warm.Descriptors[process], $"process {process}: descriptors {warm.Descriptors[process]} at {warm.At} -> {last.Descriptors[process]} at {last.At}");
            Assert.True(last.ResidentKiB[process] - warm.ResidentKiB[process] <= RssGrowthLimitKiB, $"process {process}: resident {warm.ResidentKiB[process]} KiB at {warm.At} -> {last.ResidentKiB[process]} KiB at {last.At}");
        }
    }

    private static long ResidentKiB(int pid)
    {
        try
        {
            string? line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? -1 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1; // exited
        }
    }

    private static int Descriptors(int pid)
    {
        try
        {
            return Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length;
        }
        catch (IOException)
        {
            return -1;
        }
    }

    private sealed record ResourceSample(TimeSpan At, long[] ResidentKiB, int[] Descriptors);
}
