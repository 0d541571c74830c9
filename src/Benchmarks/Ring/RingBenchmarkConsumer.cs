using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using ShmIpc.ShmRing;
using ShmIpc.ShmRing.Broadcast;

namespace ShmIpc.Benchmarks.Ring;

/// <summary>
/// The consumer process of <see cref="RingBenchmark"/>: <c>ring-consumer RING EXPECTED MODE [ring options]</c> (the
/// options as <see cref="RingBenchmarkOptions.RingArguments"/> writes them). Waits as told (busy spin by default), sums
/// every payload byte in place, then (latency) stamps the receive time. Prints "ready" once attached (or joined), then
/// one result line on stdout.
/// </summary>
internal static class RingBenchmarkConsumer
{
    public const string Command = "ring-consumer";

    public static int Run(string[] args)
    {
        string ring = args[1];
        long expected = long.Parse(args[2], CultureInfo.InvariantCulture);
        RingBenchmarkOptions options = RingBenchmarkOptions.Parse(args[3..]);
        bool latency = options.Mode == "ring-latency";
        RingBenchmark.PinToCpu(1);
        RingOptions ringOptions = RingBenchmark.RingOptionsFor(options);
        return options.Ring == RingKind.Broadcast
            ? Consume(new BroadcastRecordSource(BroadcastConsumer.Join(ring, ringOptions, BroadcastStart.Oldest)), latency, expected)
            : Consume(new SpscRecordSource(RingConsumer.Attach(ring, ringOptions)), latency, expected);
    }

    private static int Consume<TSource>(TSource source, bool latency, long expected)
        where TSource : struct, IRecordSource
    {
        using (source)
        {
            long[] samples = new long[Math.Max(expected, 1)];
            long[] stampSamples = new long[Math.Max(expected, 1)];
            Console.WriteLine("ready");
            string result = latency ? ConsumeLatency(source, samples, stampSamples, out long messages, out long allocated) : ConsumeThroughput(source, out messages, out allocated);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result} consumer_alloc_bytes_per_msg={allocated / (double)Math.Max(messages, 1):F3}"));
        }

        return 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string ConsumeLatency<TSource>(TSource source, long[] samples, long[] stampSamples, out long messages, out long allocated)
        where TSource : struct, IRecordSource
    {
        allocated = GC.GetAllocatedBytesForCurrentThread();
        ulong checksum = 0;
        long count = 0;
        long torn = 0;
        while (true)
        {
            RingRecord record = Read(source);

            if (record.Type == RingMessage.EndType)
            {
                source.Release();
                break;
            }

            checksum += RingMessage.Checksum(record.Payload);
            long received = Stopwatch.GetTimestamp();
            long intended = RingMessage.IntendedSendTimestamp(record.Payload);
            long stamped = RingMessage.ActualSendTimestamp(record.Payload);

            // Lossy broadcast only: a record overwritten while it was read is discarded, as a user must discard it.
            if (!source.Release())
            {
                torn++;
                continue;
            }

            samples[count] = received - intended;
            stampSamples[count++] = received - stamped;
        }

        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        messages = count;
        if (count <= RingBenchmarkOptions.WarmupMessages)
        {
            throw new InvalidOperationException($"only {count} records delivered ({source.MissedRecords} missed), not enough past the warm-up of {RingBenchmarkOptions.WarmupMessages}");
        }

        LatencySummary fromIntended = Summarize(samples, count);
        LatencySummary fromStamp = Summarize(stampSamples, count);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{fromIntended} stamp_p50_ns={fromStamp.P50} stamp_p99_ns={fromStamp.P99} stamp_p99.9_ns={fromStamp.P999} missed={source.MissedRecords} torn={torn} checksum={checksum % 1000}");
    }

    /// <summary>Busy-spins for the next record (the ring's own BusySpin wait); a producer that died ends the run.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static RingRecord Read<TSource>(TSource source)
        where TSource : struct, IRecordSource
    {
        RingReadStatus status = source.Read(out RingRecord record, TimeSpan.FromSeconds(10));
        return status == RingReadStatus.Record ? record : throw new InvalidOperationException($"producer process: {status}");
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

    /// <summary>Counts from the first message after the warm-up (tier-up of the ring code) to the end marker.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string ConsumeThroughput<TSource>(TSource source, out long messages, out long allocated)
        where TSource : struct, IRecordSource
    {
        allocated = GC.GetAllocatedBytesForCurrentThread();
        ulong checksum = 0;
        long count = 0;
        long received = 0;
        long bytes = 0;
        long sequenceErrors = 0;
        long first = 0;
        long warmupEnd = long.MaxValue;
        while (true)
        {
            RingRecord record = Read(source);
            if (record.Type == RingMessage.EndType)
            {
                break;
            }

            if (received == 0)
            {
                warmupEnd = Stopwatch.GetTimestamp() + RingBenchmarkOptions.ThroughputWarmupTicks;
            }

            checksum += RingMessage.Checksum(record.Payload);
            sequenceErrors += RingMessage.Sequence(record.Payload) != received ? 1 : 0;
            received++;
            if (count == 0 && Stopwatch.GetTimestamp() < warmupEnd)
            {
                source.Release();
                continue;
            }

            if (count == 0)
            {
                first = Stopwatch.GetTimestamp();
            }

            bytes += record.Payload.Length;
            count++;
            source.Release();
        }

        double seconds = (Stopwatch.GetTimestamp() - first) / (double)Stopwatch.Frequency;
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        messages = received;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"msgs/s={count / seconds:F0} MB/s={bytes / seconds / 1e6:F0} seq_errors={sequenceErrors} checksum={checksum % 1000}");
    }
}
