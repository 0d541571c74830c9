using System.Globalization;
using ShmIpc.ShmRing.Broadcast;
using ShmIpc.ShmRing.TestPeer;
using ShmIpc.ShmRing.Tests.Support;

namespace ShmIpc.ShmRing.Tests.Broadcast;

/// <summary>One producer here, consumers in TestPeer processes: every byte checked there, every record accounted for.</summary>
public sealed class BroadcastCrossProcessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public void Lossless_FourConsumerProcesses_EachSeesAMillionRecordsInOrderByteForByte()
    {
        string name = TestRing.UniqueName("bc-million");
        RingOptions options = TestRing.Small(RingKind.Broadcast) with { Capacity = 1024 * 1024, MaxRecordSize = 256, SlowConsumer = SlowConsumerPolicy.Lossless };
        const int Count = 1_000_000;
        var producer = RingProducer.Create(name, options);
        var peers = new List<PeerProcess>();
        try
        {
            for (int i = 0; i < 4; i++)
            {
                peers.Add(PeerProcess.Start(Consume(name, options, BroadcastStart.Oldest)));
            }

            Produce(producer, options, 0, Count);
            producer.Dispose();
            foreach (PeerProcess peer in peers)
            {
                Assert.Equal($"done delivered={Count} missed=0 first=0 last={Count - 1}", peer.ReadLine(Patience));
                Assert.Equal(0, peer.WaitForExit(Patience));
            }
        }
        finally
        {
            producer.Dispose();
            peers.ForEach(peer => peer.Dispose());
        }
    }

    [Fact]
    public void Lossless_ConsumersJoinMidStreamAtTheNewestOrOldest_AndOneThatLeavesMidStreamHoldsNobodyBack()
    {
        string name = TestRing.UniqueName("bc-join-leave");
        RingOptions options = TestRing.Small(RingKind.Broadcast) with { Capacity = 64 * 1024, MaxRecordSize = 256, SlowConsumer = SlowConsumerPolicy.Lossless };
        const int Before = 100_000, After = 200_000, LeaverReads = 50_000;
        var producer = RingProducer.Create(name, options);
        var pattern = new RecordPattern(1, 5, options.MaxRecordSize);
        using var throughout = PeerProcess.Start(Consume(name, options, BroadcastStart.Oldest));
        PeerProcess? leaver = null, oldest = null;
        try
        {
            Produce(producer, pattern, Before);

            // Both join between records Before - 1 and Before. The leaver leaves after LeaverReads records but stays
            // alive until told: unless leaving freed its slot, the lossless producer below waits for it (Produce fails
            // after its patience).
            leaver = PeerProcess.Start([.. Consume(name, options, BroadcastStart.Newest), LeaverReads.ToString(CultureInfo.InvariantCulture)]);
            oldest = PeerProcess.Start(Consume(name, options, BroadcastStart.Oldest));
            Produce(producer, pattern, After);
            producer.Dispose();

            Assert.Equal($"done delivered={Before + After} missed=0 first=0 last={Before + After - 1}", throughout.ReadLine(Patience));

            // Newest: the newest record published when it joined, then every one after it until it left.
            Assert.Equal($"done delivered={LeaverReads} missed=0 first={Before - 1} last={Before - 1 + LeaverReads - 1}", leaver.ReadLine(Patience));

            // Oldest: the oldest record still intact (at most a ring's worth back), then every one to the end.
            (long delivered, long missed, long last) = Outcome(oldest.ReadLine(Patience));
            Assert.Equal(0, missed);
            Assert.Equal(Before + After - 1, last);
            Assert.InRange(delivered, After + 1, After + (options.Capacity / RingLayout.RecordAlignment));
            leaver.SendLine("exit");
            foreach (PeerProcess peer in new[] { throughout, leaver, oldest })
            {
                Assert.Equal(0, peer.WaitForExit(Patience));
            }
        }
        finally
        {
            producer.Dispose();
            leaver?.Dispose();
            oldest?.Dispose();
        }
    }

    [Fact]
    public void Lossy_AConsumerPausedWithSigstop_MissesRecords_AndEveryRecordIsDeliveredOrCountedExactly()
    {
        string name = TestRing.UniqueName("bc-sigstop");
        RingOptions options = TestRing.Small(RingKind.Broadcast) with { Capacity = 64 * 1024, MaxRecordSize = 256, SlowConsumer = SlowConsumerPolicy.Lossy };
        const int Count = 200_000;
        var producer = RingProducer.Create(name, options);
        using var paused = PeerProcess.Start(Consume(name, options, BroadcastStart.Oldest));
        using var running = PeerProcess.Start(Consume(name, options, BroadcastStart.Oldest));
        try
        {
            var pattern = new RecordPattern(1, 5, options.MaxRecordSize);
            Produce(producer, pattern, 50_000);
            paused.Pause(stop: true);
            Produce(producer, pattern, 100_000);
            Thread.Sleep(100); // paused longer than the peer-check interval: alive all the same
            paused.Pause(stop: false);
            Produce(producer, pattern, Count - 150_000);
            producer.Dispose();

            (long delivered, long missed, long last) = Outcome(paused.ReadLine(Patience));
            Assert.Equal(Count, delivered + missed);
            Assert.True(missed >= 100_000 - (options.Capacity / 128), $"the paused consumer missed only {missed}");
            Assert.Equal(Count - 1, last);

            (delivered, missed, last) = Outcome(running.ReadLine(Patience));
            Assert.Equal(Count, delivered + missed);
            Assert.Equal(Count - 1, last);
            Assert.Equal(0, paused.WaitForExit(Patience));
            Assert.Equal(0, running.WaitForExit(Patience));
        }
        finally
        {
            producer.Dispose();
        }
    }

    [Theory]
    [InlineData(SlowConsumerPolicy.Lossless)]
    [InlineData(SlowConsumerPolicy.Lossy)]
    public void ASleepingConsumerKilledWithSigkill_IsNoLongerCountedAsOneThatMaySleep(SlowConsumerPolicy policy)
    {
        string name = TestRing.UniqueName("bc-sleeper");
        RingOptions options = TestRing.Small(RingKind.Broadcast) with { Capacity = 4096, MaxRecordSize = 64, SlowConsumer = policy };
        using var producer = RingProducer.Create(name, options);
        using var killed = PeerProcess.Start(PeerProcess.Ring("broadcast-join-blocking-and-sleep", name, options, options.SlowConsumer));
        Assert.Equal(1, ConsumersMaySleep(name)); // counted: every commit now checks the wake word (a fence)
        killed.KillHard();

        // Lossless: the dead cursor fills the ring, and the wait's peer check frees the slot. Lossy: the producer never
        // waits; its periodic check (every 65,536 commits while a sleeper is counted) does.
        WritePastASleeperCheck(producer);

        Assert.Equal(0, ConsumersMaySleep(name));
    }

    [Fact]
    public void ALiveSleepingConsumer_StaysCountedThroughThePeriodicCheck()
    {
        string name = TestRing.UniqueName("bc-live-sleeper");
        RingOptions options = TestRing.Small(RingKind.Broadcast) with { Capacity = 4096, MaxRecordSize = 64, SlowConsumer = SlowConsumerPolicy.Lossy };
        using var producer = RingProducer.Create(name, options);
        using var sleeper = PeerProcess.Start(PeerProcess.Ring("broadcast-join-blocking-and-sleep", name, options, options.SlowConsumer));
        WritePastASleeperCheck(producer);

        Assert.Equal(1, ConsumersMaySleep(name));
        sleeper.KillHard();
    }

    /// <summary>70,000 small records: more than the 65,536 commits between the producer's checks for dead sleepers.</summary>
    private static void WritePastASleeperCheck(RingProducer producer)
    {
        for (int written = 0; written < 70_000; written++)
        {
            Assert.Equal(RingWriteStatus.Success, producer.Write(BitConverter.GetBytes(written), TimeSpan.FromSeconds(10)));
        }
    }

    /// <summary>The ring's count of consumers that may sleep ("Broadcast (kind 3)", offset 776), read from the file.</summary>
    private static int ConsumersMaySleep(string name)
    {
        Span<byte> count = stackalloc byte[sizeof(int)];
        using (Microsoft.Win32.SafeHandles.SafeFileHandle handle = File.OpenHandle(TestRing.PathOf(name)))
        {
            _ = RandomAccess.Read(handle, count, BroadcastLayout.ConsumersMaySleepOffset);
        }

        return BitConverter.ToInt32(count);
    }

    [Fact]
    public void Lossless_AConsumerKilledWithSigkill_HoldsTheProducerBackOnlyUntilItIsProvenDead_APausedOneUntilTheTimeout()
    {
        string name = TestRing.UniqueName("bc-kill");
        RingOptions options = TestRing.Small(RingKind.Broadcast) with { Capacity = 4096, MaxRecordSize = 64, SlowConsumer = SlowConsumerPolicy.Lossless };
        using var producer = RingProducer.Create(name, options);
        using var stopped = PeerProcess.Start(PeerProcess.Ring("broadcast-join-and-sleep", name, options, options.SlowConsumer));
        using var killed = PeerProcess.Start(PeerProcess.Ring("broadcast-join-and-sleep", name, options, options.SlowConsumer));
        int written = 0;
        while (producer.TryWrite(BitConverter.GetBytes(written)))
        {
            Assert.InRange(++written, 1, 32);
        }

        Assert.Equal(32, written); // one lap, then neither sleeper has released anything
        killed.KillHard();
        stopped.Pause(stop: true);
        try
        {
            // The dead one is reclaimed at a peer check; the paused one is alive, so the claim waits it out.
            Assert.Equal(RingWriteStatus.TimedOut, producer.Write(BitConverter.GetBytes(written), TimeSpan.FromMilliseconds(500)));
        }
        finally
        {
            stopped.Pause(stop: false);
        }

        stopped.KillHard();
        Assert.Equal(RingWriteStatus.Success, producer.Write(BitConverter.GetBytes(written), TimeSpan.FromSeconds(10)));
    }

    private static string[] Consume(string name, RingOptions options, BroadcastStart start)
        => PeerProcess.Ring("broadcast-consume", name, options, options.SlowConsumer, start, 5);

    private static void Produce(RingProducer producer, RingOptions options, int from, int count)
    {
        var pattern = new RecordPattern(1, 5, options.MaxRecordSize);
        for (int i = 0; i < from; i++)
        {
            _ = pattern.TakeNext(out _);
        }

        Produce(producer, pattern, count);
    }

    private static void Produce(RingProducer producer, RecordPattern pattern, int count)
    {
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> payload = pattern.TakeNext(out int type);
            Assert.Equal(RingWriteStatus.Success, producer.Write(payload, Patience, type));
        }
    }

    /// <summary>Parses "done delivered=D missed=M first=F last=L".</summary>
    private static (long Delivered, long Missed, long Last) Outcome(string line)
    {
        Assert.StartsWith("done ", line, StringComparison.Ordinal);
        Dictionary<string, long> fields = line[5..].Split(' ').Select(field => field.Split('=')).ToDictionary(pair => pair[0], pair => long.Parse(pair[1], CultureInfo.InvariantCulture));
        return (fields["delivered"], fields["missed"], fields["last"]);
    }
}
