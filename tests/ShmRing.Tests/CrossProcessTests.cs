using System.Diagnostics;
using ShmIpc.ShmRing.TestPeer;
using ShmIpc.ShmRing.Tests.Support;

namespace ShmIpc.ShmRing.Tests;

/// <summary>Producer and consumer in different OS processes: the TestPeer executable is the other side.</summary>
public sealed class CrossProcessTests
{
    private static readonly TimeSpan PeerGoneBound = TimeSpan.FromSeconds(2);

    [Fact]
    public void Spsc_OneMillionRandomSizedRecords_ArriveInOrderByteForByte()
    {
        string name = TestRing.UniqueName("million");
        RingOptions options = TestRing.Small() with { Capacity = 4 * 1024 * 1024, MaxRecordSize = 16384 };
        const int Count = 1_000_000;
        using var consumer = RingConsumer.Create(name, options);
        using var producer = PeerProcess.Start(PeerProcess.Ring("produce", name, options, 1, Count, 42));
        var expected = new RecordPattern(producerId: 1, seed: 42, options.MaxRecordSize);
        long bytes = 0;

        for (int i = 0; i < Count; i++)
        {
            Assert.Equal(RingReadStatus.Record, consumer.Read(out RingRecord record, TimeSpan.FromSeconds(30)));
            ReadOnlySpan<byte> payload = expected.TakeNext(out int type);
            if (record.Type != type || !record.Payload.SequenceEqual(payload))
            {
                Assert.Fail($"record {i}: type {record.Type} length {record.Payload.Length}, expected type {type} length {payload.Length}");
            }

            bytes += payload.Length;
            consumer.Release();
        }

        Assert.Equal(0, producer.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Equal(RingReadStatus.PeerGone, consumer.Read(out _, TimeSpan.FromSeconds(10)));
        Assert.Equal(Count, consumer.Counters.Messages);
        Assert.Equal(bytes, consumer.Counters.Bytes);
        Assert.InRange(bytes / (double)Count, 7000, 9400); // sizes really spread over 1..16384
    }

    [Fact]
    public void Mpsc_FourProducerProcesses_EveryRecordExactlyOnceInPerProducerOrder()
    {
        string name = TestRing.UniqueName("mpsc");
        RingOptions options = TestRing.Small(RingKind.MultiProducer) with { Capacity = 1024 * 1024, MaxRecordSize = 512 };
        const int Producers = 4;
        const int PerProducer = 250_000;
        using var consumer = RingConsumer.Create(name, options);
        var peers = new List<PeerProcess>();
        try
        {
            for (int p = 1; p <= Producers; p++)
            {
                peers.Add(PeerProcess.Start(PeerProcess.Ring("produce", name, options, p, PerProducer, 7)));
            }

            RecordPattern[] expected = [.. Enumerable.Range(0, Producers + 1).Select(p => new RecordPattern(p, 7, options.MaxRecordSize))];
            for (int i = 0; i < Producers * PerProducer; i++)
            {
                Assert.Equal(RingReadStatus.Record, consumer.Read(out RingRecord record, TimeSpan.FromSeconds(30)));
                int producer = RecordPattern.ProducerOf(record.Type);
                Assert.InRange(producer, 1, Producers);
                ReadOnlySpan<byte> payload = expected[producer].TakeNext(out int type);
                if (record.Type != type || !record.Payload.SequenceEqual(payload))
                {
                    Assert.Fail($"record {i} from producer {producer}: sequence bits {RecordPattern.SequenceBitsOf(record.Type)}, expected {RecordPattern.SequenceBitsOf(type)}");
                }

                consumer.Release();
            }

            foreach (PeerProcess peer in peers)
            {
                Assert.Equal(0, peer.WaitForExit(TimeSpan.FromSeconds(30)));
            }

            Assert.All(expected.Skip(1), pattern => Assert.Equal(PerProducer, pattern.Next));
            Assert.Equal(RingReadStatus.PeerGone, consumer.Read(out _, TimeSpan.FromSeconds(10)));
            Assert.Equal(0, consumer.Counters.SkippedRecords);
        }
        finally
        {
            peers.ForEach(peer => peer.Dispose());
        }
    }

    [Fact]
    public void Spsc_ProducerKilledMidStream_ConsumerGetsEveryCommittedRecordThenPeerGone()
    {
        string name = TestRing.UniqueName("kill-spsc");
        RingOptions options = TestRing.Small() with { Capacity = 256 * 1024, MaxRecordSize = 16384 };
        using var consumer = RingConsumer.Create(name, options);
        using var producer = PeerProcess.Start(PeerProcess.Ring("produce", name, options, 1, -1, 3));
        var expected = new RecordPattern(producerId: 1, seed: 3, options.MaxRecordSize);

        int read = 0;
        for (; read < 20_000; read++)
        {
            Assert.Equal(RingReadStatus.Record, consumer.Read(out RingRecord record, TimeSpan.FromSeconds(30)));
            VerifyNext(expected, record);
            consumer.Release();
        }

        // SIGKILL while it writes flat out: most likely mid-record. What it committed arrives intact; nothing torn.
        producer.KillHard();
        var watch = Stopwatch.StartNew();
        RingReadStatus status;
        while ((status = consumer.Read(out RingRecord record, TimeSpan.FromSeconds(30))) == RingReadStatus.Record)
        {
            VerifyNext(expected, record);
            consumer.Release();
            read++;
        }

        Assert.Equal(RingReadStatus.PeerGone, status);
        Assert.True(watch.Elapsed < PeerGoneBound, $"peer-gone took {watch.Elapsed}");
        Assert.Equal(read, consumer.Counters.Messages);

        // A new producer process takes the dead one's place and continues where its last commit ended.
        using var successor = PeerProcess.Start(PeerProcess.Ring("produce", name, options, 2, 5_000, 3));
        var successorExpected = new RecordPattern(producerId: 2, seed: 3, options.MaxRecordSize);
        for (int i = 0; i < 5_000; i++)
        {
            Assert.Equal(RingReadStatus.Record, consumer.Read(out RingRecord record, TimeSpan.FromSeconds(30)));
            VerifyNext(successorExpected, record);
            consumer.Release();
        }

        Assert.Equal(0, successor.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Equal(RingReadStatus.PeerGone, consumer.Read(out _, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Mpsc_ProducerKilledBetweenClaimAndCommit_IsSkippedOnlyAfterDeath_OthersLoseNothing()
    {
        string name = TestRing.UniqueName("kill-mpsc");
        RingOptions options = TestRing.Small(RingKind.MultiProducer) with { Capacity = 128 * 1024, MaxRecordSize = 1024 };
        const int HungProducerRecords = 50;
        const int OtherRecords = 20_000;
        using var consumer = RingConsumer.Create(name, options);
        using var hung = PeerProcess.Start(PeerProcess.Ring("produce", name, options, 1, HungProducerRecords, 11, "hang-after-claim"));
        hung.WaitForLine("claimed", TimeSpan.FromSeconds(30));
        using var second = PeerProcess.Start(PeerProcess.Ring("produce", name, options, 2, OtherRecords, 11));
        using var third = PeerProcess.Start(PeerProcess.Ring("produce", name, options, 3, OtherRecords, 11));
        RecordPattern[] expected = [.. Enumerable.Range(0, 4).Select(p => new RecordPattern(p, 11, options.MaxRecordSize))];

        // Drain up to the uncommitted claim. The claimant is alive (merely not committing): the consumer must wait,
        // however long, and skip nothing.
        RingReadStatus status;
        while ((status = consumer.Read(out RingRecord record, TimeSpan.FromMilliseconds(500))) == RingReadStatus.Record)
        {
            VerifyNext(expected[RecordPattern.ProducerOf(record.Type)], record);
            consumer.Release();
        }

        Assert.Equal(RingReadStatus.TimedOut, status);
        Assert.Equal(HungProducerRecords, expected[1].Next);
        Assert.Equal(0, consumer.Counters.SkippedRecords);

        hung.KillHard();
        while ((status = consumer.Read(out RingRecord record, TimeSpan.FromSeconds(30))) == RingReadStatus.Record)
        {
            VerifyNext(expected[RecordPattern.ProducerOf(record.Type)], record);
            consumer.Release();
        }

        Assert.Equal(RingReadStatus.PeerGone, status);
        Assert.Equal(1, consumer.Counters.SkippedRecords);
        Assert.Equal(HungProducerRecords, expected[1].Next);
        Assert.Equal(OtherRecords, expected[2].Next);
        Assert.Equal(OtherRecords, expected[3].Next);
        Assert.Equal(0, second.WaitForExit(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, third.WaitForExit(TimeSpan.FromSeconds(10)));
    }

    private static void VerifyNext(RecordPattern expected, in RingRecord record)
    {
        long sequence = expected.Next;
        ReadOnlySpan<byte> payload = expected.TakeNext(out int type);
        if (record.Type != type || !record.Payload.SequenceEqual(payload))
        {
            Assert.Fail($"producer {expected.ProducerId} record {sequence}: type {record.Type} length {record.Payload.Length}, expected type {type} length {payload.Length}");
        }
    }
}
