using System.Globalization;

namespace ShmIpc.ShmRing.TestPeer;

/// <summary>
/// Commands (all print "ready" once attached, so the test knows when to go on):
///   produce RING KIND CAPACITY MAX_RECORD PRODUCER_ID COUNT SEED [hang-after-claim | stop-at STEP OCCURRENCE [resume]]
///       writes COUNT records of <see cref="RecordPattern"/> (COUNT -1: forever); with hang-after-claim, then claims one
///       more record, prints "claimed" and sleeps without committing; with stop-at, stops at a protocol step
///       (<see cref="StopAtStep"/>).
///   create-and-read RING KIND CAPACITY MAX_RECORD
///       creates the ring as its consumer and reads (and releases) whatever comes, forever.
/// A RingException ends any command with "ring-error ERROR: MESSAGE" on stdout and exit code 3.
///   consume RING KIND CAPACITY MAX_RECORD PRODUCER_ID COUNT SEED
///       reads and verifies COUNT records from one producer; exit code 0 if every byte matched.
///   create-and-sleep RING KIND CAPACITY MAX_RECORD
///       creates the ring as its consumer and sleeps (the test kills it with SIGKILL to leave a stale segment).
///   attach-consumer-and-sleep RING KIND CAPACITY MAX_RECORD
///   broadcast-consume RING Broadcast CAPACITY MAX_RECORD POLICY START SEED [LIMIT]
///       joins a broadcast as a consumer and reads producer 1's records until the producer is gone (or, with LIMIT,
///       until it has delivered LIMIT records, then leaves and waits for a line on stdin before exiting), checking
///       every delivered byte; prints "done delivered=D missed=M first=F last=L" (F, L: the first and last record numbers).
///   broadcast-join-and-sleep RING Broadcast CAPACITY MAX_RECORD POLICY
///   broadcast-join-blocking-and-sleep RING Broadcast CAPACITY MAX_RECORD POLICY
///       joins as a consumer that may sleep on the futex (SpinThenBlock: counted at the ring's "consumers that may
///       sleep"), prints ready, sleeps until killed
///   produce-at RING KIND CAPACITY MAX_RECORD PRODUCER_ID RATE SECONDS SEED
///       writes <see cref="RecordPattern"/> records on an open-loop schedule of RATE a second for SECONDS (records
///       falling due while it slept are written at once), then prints "done COUNT" and detaches.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        // Before any ring is touched: the step hooks' switch is read once (stop-at needs them).
        AppContext.SetSwitch(RingStepHooks.SwitchName, true);
        try
        {
            return Run(args);
        }
        catch (RingException exception)
        {
            Console.Out.WriteLine($"ring-error {exception.Error}: {exception.Message}");
            return 3;
        }
    }

    private static int Run(string[] args)
    {
        string command = args[0];
        string ring = args[1];
        var options = new RingOptions
        {
            Kind = Enum.Parse<RingKind>(args[2]),
            Capacity = int.Parse(args[3], CultureInfo.InvariantCulture),
            MaxRecordSize = int.Parse(args[4], CultureInfo.InvariantCulture),
            WaitStrategy = RingWaitStrategy.SpinThenYield,
            PeerCheckInterval = TimeSpan.FromMilliseconds(20),
            SlowConsumer = args[2] == nameof(RingKind.Broadcast) ? Enum.Parse<SlowConsumerPolicy>(args[5]) : SlowConsumerPolicy.Lossy,
        };

        switch (command)
        {
            case "produce":
                return Produce(ring, options, Int(args[5]), long.Parse(args[6], CultureInfo.InvariantCulture), Int(args[7]), args[8..]);
            case "produce-at":
                return ProduceAt(ring, options, Int(args[5]), Int(args[6]), double.Parse(args[7], CultureInfo.InvariantCulture), Int(args[8]));
            case "consume":
                return Consume(ring, options, Int(args[5]), long.Parse(args[6], CultureInfo.InvariantCulture), Int(args[7]));
            case "create-and-sleep":
                using (RingConsumer.Create(ring, options))
                {
                    Ready();
                    Thread.Sleep(Timeout.Infinite);
                }

                return 0;
            case "create-and-read":
                using (var consumer = RingConsumer.Create(ring, options))
                {
                    Ready();
                    while (true)
                    {
                        if (consumer.Read(out _, TimeSpan.FromSeconds(1)) == RingReadStatus.Record)
                        {
                            consumer.Release();
                        }
                    }
                }

            case "attach-consumer-and-sleep":
                using (RingConsumer.Attach(ring, options))
                {
                    Ready();
                    Thread.Sleep(Timeout.Infinite);
                }

                return 0;
            case "broadcast-consume":
                return BroadcastConsume(ring, options, Enum.Parse<Broadcast.BroadcastStart>(args[6]), Int(args[7]), args.Length > 8 ? Int(args[8]) : long.MaxValue);
            case "broadcast-join-blocking-and-sleep":
                using (Broadcast.BroadcastConsumer.Join(ring, options with { WaitStrategy = RingWaitStrategy.SpinThenBlock }))
                {
                    Ready();
                    Thread.Sleep(Timeout.Infinite);
                }

                return 0;
            case "broadcast-join-and-sleep":
                using (Broadcast.BroadcastConsumer.Join(ring, options))
                {
                    Ready();
                    Thread.Sleep(Timeout.Infinite);
                }

                return 0;
            default:
                Console.Error.WriteLine($"unknown command {command}");
                return 2;
        }
    }

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    private static void Ready() => Console.Out.WriteLine("ready");

    private static int Produce(string ring, RingOptions options, int producerId, long count, int seed, string[] mode)
    {
        bool hangAfterClaim = mode.Length > 0 && mode[0] == "hang-after-claim";
        var progress = new ProduceProgress();
        if (mode.Length > 0 && mode[0] == "stop-at")
        {
            RingStepHooks.Current = new StopAtStep(Enum.Parse<RingStep>(mode[1]), Int(mode[2]), mode.Length > 3 && mode[3] == "resume", progress);
        }

        using var producer = RingProducer.Attach(ring, options);
        var pattern = new RecordPattern(producerId, seed, options.MaxRecordSize);
        Ready();
        for (long written = 0; count < 0 || written < count; written++)
        {
            ReadOnlySpan<byte> payload = pattern.TakeNext(out int recordType);
            RingWriteStatus status = producer.Write(payload, Timeout.InfiniteTimeSpan, recordType);
            if (status != RingWriteStatus.Success)
            {
                Console.Error.WriteLine($"write {written}: {status}");
                return 1;
            }

            progress.Committed = written + 1;
        }

        if (hangAfterClaim)
        {
            if (producer.Claim(options.MaxRecordSize, Timeout.InfiniteTimeSpan, out RingClaim claim) != RingWriteStatus.Success)
            {
                return 1;
            }

            // Never committed nor disposed: the test kills this process with the claim open.
            claim.Destination.Fill(0xAB);
            Console.Out.WriteLine("claimed");
            Thread.Sleep(Timeout.Infinite);
        }

        Console.Out.WriteLine("done");
        return 0;
    }

    private static int ProduceAt(string ring, RingOptions options, int producerId, int rate, double seconds, int seed)
    {
        using var producer = RingProducer.Attach(ring, options);
        var pattern = new RecordPattern(producerId, seed, options.MaxRecordSize);
        Ready();
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        long total = (long)(rate * seconds);
        double ticksPerRecord = (double)System.Diagnostics.Stopwatch.Frequency / rate;
        long written = 0;
        while (written < total)
        {
            long due = Math.Min(total, (long)((System.Diagnostics.Stopwatch.GetTimestamp() - start) / ticksPerRecord) + 1);
            for (; written < due; written++)
            {
                ReadOnlySpan<byte> payload = pattern.TakeNext(out int recordType);
                RingWriteStatus status = producer.Write(payload, TimeSpan.FromSeconds(30), recordType);
                if (status != RingWriteStatus.Success)
                {
                    Console.Error.WriteLine($"write {written}: {status}");
                    return 1;
                }
            }

            Thread.Sleep(1);
        }

        Console.Out.WriteLine($"done {written}");
        return 0;
    }

    private static int BroadcastConsume(string ring, RingOptions options, Broadcast.BroadcastStart start, int seed, long limit)
    {
        using var consumer = Broadcast.BroadcastConsumer.Join(ring, options, start);
        var pattern = new RecordPattern(1, seed, options.MaxRecordSize);
        Ready();
        long delivered = 0, first = -1, last = -1;
        while (delivered < limit)
        {
            RingReadStatus status = consumer.Read(out RingRecord record, TimeSpan.FromSeconds(30));
            if (status == RingReadStatus.PeerGone)
            {
                break;
            }

            if (status != RingReadStatus.Record)
            {
                Console.Error.WriteLine($"after {delivered} records: {status}");
                return 1;
            }

            long number = RecordPattern.SequenceBitsOf(record.Type);
            if (number <= last)
            {
                Console.Error.WriteLine($"record {number} after {last}: out of order");
                return 1;
            }

            // Copy out first: a lossy producer may overwrite the record while we compare it (Release says so).
            byte[] payload = record.Payload.ToArray();
            int type = record.Type;
            if (!consumer.Release())
            {
                continue; // overwritten while read: counted as missed, nothing delivered
            }

            while (pattern.Next < number)
            {
                _ = pattern.TakeNext(out _);
            }

            ReadOnlySpan<byte> expected = pattern.TakeNext(out int expectedType);
            if (type != expectedType || !payload.AsSpan().SequenceEqual(expected))
            {
                Console.Error.WriteLine($"record {number}: type {type} length {payload.Length}, expected type {expectedType} length {expected.Length}");
                return 1;
            }

            first = first < 0 ? number : first;
            last = number;
            delivered++;
        }

        long missed = consumer.MissedRecords;
        consumer.Dispose();
        Console.Out.WriteLine($"done delivered={delivered} missed={missed} first={first} last={last}");
        if (limit != long.MaxValue)
        {
            // Left, but alive: the producer must not wait for this process (its slot is free); exit when told.
            _ = Console.In.ReadLine();
        }

        return 0;
    }

    private static int Consume(string ring, RingOptions options, int producerId, long count, int seed)
    {
        using var consumer = RingConsumer.Attach(ring, options);
        var pattern = new RecordPattern(producerId, seed, options.MaxRecordSize);
        Ready();
        for (long read = 0; read < count; read++)
        {
            RingReadStatus status = consumer.Read(out RingRecord record, TimeSpan.FromSeconds(30));
            if (status != RingReadStatus.Record)
            {
                Console.Error.WriteLine($"read {read}: {status}");
                return 1;
            }

            ReadOnlySpan<byte> expected = pattern.TakeNext(out int expectedType);
            if (record.Type != expectedType || !record.Payload.SequenceEqual(expected))
            {
                Console.Error.WriteLine($"record {read}: type {record.Type} length {record.Payload.Length}, expected type {expectedType} length {expected.Length}");
                return 1;
            }

            consumer.Release();
        }

        Console.Out.WriteLine("done");
        return 0;
    }
}
