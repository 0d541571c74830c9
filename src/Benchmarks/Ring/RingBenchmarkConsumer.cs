using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using ShmIpc.ShmRing;

namespace ShmIpc.Benchmarks.Ring;

/// <summary>
/// The consumer process of <see cref="RingBenchmark"/>: <c>ring-consumer latency|throughput RING SIZE EXPECTED</c>.
/// Busy-spins on TryRead, sums every payload byte in place, then (latency) stamps the receive time. Prints one result
/// line on stdout.
/// </summary>
internal static class RingBenchmarkConsumer
{
    public const string Command = "ring-consumer";

    public static int Run(string[] args)
    {
        bool latency = args[1] == "latency";
        string ring = args[2];
        int size = int.Parse(args[3], CultureInfo.InvariantCulture);
        long expected = long.Parse(args[4], CultureInfo.InvariantCulture);
        RingBenchmark.PinToCpu(1);
        using var consumer = RingConsumer.Attach(ring, RingBenchmark.RingOptionsFor(size));
        long[] samples = new long[Math.Max(expected, 1)];
        long[] stampSamples = new long[Math.Max(expected, 1)];
        Console.WriteLine("ready");
        string result = latency ? ConsumeLatency(consumer, samples, stampSamples, out long messages, out long allocated) : ConsumeThroughput(consumer, out messages, out allocated);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result} consumer_alloc_bytes_per_msg={allocated / (double)Math.Max(messages, 1):F3}"));
        return 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string ConsumeLatency(RingConsumer consumer, long[] samples, long[] stampSamples, out long messages, out long allocated)
    {
        allocated = GC.GetAllocatedBytesForCurrentThread();
        ulong checksum = 0;
        long count = 0;
        while (true)
        {
            RingRecord record;
            while (!consumer.TryRead(out record))
            {
            }

            if (record.Type == RingMessage.EndType)
            {
                break;
            }

            checksum += RingMessage.Checksum(record.Payload);
            long received = Stopwatch.GetTimestamp();
            samples[count] = received - RingMessage.IntendedSendTimestamp(record.Payload);
            stampSamples[count++] = received - RingMessage.ActualSendTimestamp(record.Payload);
            consumer.Release();
        }

        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        messages = count;
        LatencySummary fromIntended = Summarize(samples, count);
        LatencySummary fromStamp = Summarize(stampSamples, count);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{fromIntended} stamp_p50_ns={fromStamp.P50} stamp_p99_ns={fromStamp.P99} stamp_p99.9_ns={fromStamp.P999} checksum={checksum % 1000}");
    }

    /// <summary>Drops the warm-up, converts Stopwatch ticks to ns, picks percentiles.</summary>
    private static LatencySummary Summarize(long[] samples, long count)
    {
        long[] measured = samples[RingBenchmarkOptions.WarmupMessages..(int)count];
        double nanosecondsPerTick = 1e9 / Stopwatch.Frequency;
        for (int i = 0; i < measured.Length; i++)
        {
            measured[i] = (long)(measured[i] * nanosecondsPerTick);
        }

        return LatencySummary.FromSamples(measured, measured.Length);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string ConsumeThroughput(RingConsumer consumer, out long messages, out long allocated)
    {
        allocated = GC.GetAllocatedBytesForCurrentThread();
        ulong checksum = 0;
        long count = 0;
        long bytes = 0;
        long sequenceErrors = 0;
        long first = 0;
        while (true)
        {
            RingRecord record;
            while (!consumer.TryRead(out record))
            {
            }

            if (record.Type == RingMessage.EndType)
            {
                break;
            }

            if (count == 0)
            {
                first = Stopwatch.GetTimestamp();
            }

            checksum += RingMessage.Checksum(record.Payload);
            sequenceErrors += RingMessage.Sequence(record.Payload) != count ? 1 : 0;
            bytes += record.Payload.Length;
            count++;
            consumer.Release();
        }

        double seconds = (Stopwatch.GetTimestamp() - first) / (double)Stopwatch.Frequency;
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        messages = count;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"msgs/s={count / seconds:F0} MB/s={bytes / seconds / 1e6:F0} seq_errors={sequenceErrors} checksum={checksum % 1000}");
    }
}
