using ShmIpc.ShmRing.Broadcast;
using ShmIpc.ShmRing.Tests.Support;

namespace ShmIpc.ShmRing.Tests.Broadcast;

/// <summary>The broadcast ring in one process: what each consumer sees, how a lapped one counts, who the producer waits for.</summary>
public sealed class BroadcastConsumerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static RingOptions Options(SlowConsumerPolicy policy) => TestRing.Small(RingKind.Broadcast) with
    {
        Capacity = 4096,
        MaxRecordSize = 64,
        SlowConsumer = policy,
    };

    [Theory]
    [InlineData(SlowConsumerPolicy.Lossless)]
    [InlineData(SlowConsumerPolicy.Lossy)]
    public void EveryConsumer_SeesEveryRecordInOrder_WhenItKeepsUp(SlowConsumerPolicy policy)
    {
        string name = TestRing.UniqueName("bc-all");
        using var producer = RingProducer.Create(name, Options(policy));
        using var first = BroadcastConsumer.Join(name, Options(policy));
        using var second = BroadcastConsumer.Join(name, Options(policy), BroadcastStart.Oldest);
        for (int value = 1; value <= 1000; value++)
        {
            Assert.Equal(RingWriteStatus.Success, producer.Write(BitConverter.GetBytes(value), Patience, recordType: 7));
            foreach (BroadcastConsumer consumer in new[] { first, second })
            {
                Assert.True(consumer.TryRead(out RingRecord record));
                Assert.Equal(value, BitConverter.ToInt32(record.Payload));
                Assert.Equal(7, record.Type);
                Assert.True(consumer.Release());
            }
        }

        Assert.False(first.TryRead(out _));
        Assert.Equal(0, first.MissedRecords);
        Assert.Equal(1000, second.Counters.Messages);
        Assert.Equal(4000, second.Counters.Bytes);
    }

    [Fact]
    public void Lossy_ALappedConsumer_ResynchronisesOnTheNewestAndCountsExactlyWhatItMissed()
    {
        string name = TestRing.UniqueName("bc-lapped");
        RingOptions options = Options(SlowConsumerPolicy.Lossy);
        using var producer = RingProducer.Create(name, options);
        using var consumer = BroadcastConsumer.Join(name, options);
        const int Count = 500; // 128-byte records, 32 to a lap of 4096: lapped many times over
        for (int value = 1; value <= Count; value++)
        {
            Assert.True(producer.TryWrite(BitConverter.GetBytes(value)), "a lossy producer never waits");
        }

        Assert.True(consumer.TryRead(out RingRecord record));
        Assert.Equal(Count, BitConverter.ToInt32(record.Payload));
        Assert.True(consumer.Release());
        Assert.Equal(Count - 1, consumer.MissedRecords);
        Assert.False(consumer.TryRead(out _));

        // And it goes on from there, missing nothing more.
        Assert.True(producer.TryWrite(BitConverter.GetBytes(Count + 1)));
        Assert.True(consumer.TryRead(out record));
        Assert.Equal(Count + 1, BitConverter.ToInt32(record.Payload));
        Assert.True(consumer.Release());
        Assert.Equal(Count - 1, consumer.MissedRecords);
    }

    [Fact]
    public void Lossy_ARecordOverwrittenWhileRead_IsReportedByReleaseAndCountedAsMissed()
    {
        string name = TestRing.UniqueName("bc-torn");
        RingOptions options = Options(SlowConsumerPolicy.Lossy);
        using var producer = RingProducer.Create(name, options);
        using var consumer = BroadcastConsumer.Join(name, options);
        Assert.True(producer.TryWrite(BitConverter.GetBytes(1)));
        Assert.True(consumer.TryRead(out RingRecord held));
        Assert.Equal(1, BitConverter.ToInt32(held.Payload));

        // A lap's worth of records while the consumer holds record 1: its bytes are the producer's again.
        for (int value = 2; value <= 40; value++)
        {
            Assert.True(producer.TryWrite(BitConverter.GetBytes(value)));
        }

        Assert.False(consumer.Release());
        Assert.Equal(1, consumer.MissedRecords);
        Assert.Equal(0, consumer.Counters.Messages);
        Assert.True(consumer.TryRead(out RingRecord next));
        Assert.Equal(40, BitConverter.ToInt32(next.Payload));
        Assert.True(consumer.Release());
        Assert.Equal(39, consumer.MissedRecords); // 1 torn + 2..39 lapped
    }

    [Fact]
    public void Lossless_TheProducerWaitsForTheSlowestConsumer_AndGoesOnWhenItReleasesOrLeaves()
    {
        string name = TestRing.UniqueName("bc-lossless");
        RingOptions options = Options(SlowConsumerPolicy.Lossless);
        using var producer = RingProducer.Create(name, options);
        using var fast = BroadcastConsumer.Join(name, options);
        var slow = BroadcastConsumer.Join(name, options);
        int written = 0;
        while (producer.TryWrite(BitConverter.GetBytes(written + 1)))
        {
            written++;
            Assert.True(fast.TryRead(out _));
            Assert.True(fast.Release());
            Assert.InRange(written, 1, 64);
        }

        Assert.Equal(4096 / 128, written); // exactly one lap: the slow consumer has released nothing
        Assert.Equal(1, producer.Counters.FullEvents);

        Assert.True(slow.TryRead(out RingRecord record));
        Assert.Equal(1, BitConverter.ToInt32(record.Payload));
        Assert.True(slow.Release());
        Assert.True(producer.TryWrite(BitConverter.GetBytes(written + 1)), "one record released makes room for one");
        Assert.False(producer.TryWrite(BitConverter.GetBytes(written + 2)));

        slow.Dispose();
        Assert.True(fast.TryRead(out _));
        Assert.True(fast.Release());
        Assert.True(producer.TryWrite(BitConverter.GetBytes(written + 2)), "a consumer that left holds nobody back");
        Assert.Equal(0, fast.MissedRecords);
    }

    [Fact]
    public void Join_Oldest_StartsWithTheOldestIntactRecord_Newest_WithTheNewest()
    {
        string name = TestRing.UniqueName("bc-join");
        RingOptions options = Options(SlowConsumerPolicy.Lossy);
        using var producer = RingProducer.Create(name, options);
        for (int value = 1; value <= 100; value++)
        {
            Assert.True(producer.TryWrite(BitConverter.GetBytes(value)));
        }

        using var newest = BroadcastConsumer.Join(name, options, BroadcastStart.Newest);
        using var oldest = BroadcastConsumer.Join(name, options, BroadcastStart.Oldest);
        Assert.True(newest.TryRead(out RingRecord record));
        Assert.Equal(100, BitConverter.ToInt32(record.Payload));
        Assert.True(newest.Release());

        // 32 records of 128 bytes to a lap; the claim of record 100 overwrote record 68, so 69 is the oldest intact.
        Assert.True(oldest.TryRead(out record));
        Assert.Equal(69, BitConverter.ToInt32(record.Payload));
        Assert.True(oldest.Release());
        Assert.Equal(0, oldest.MissedRecords);
        Assert.Equal(0, newest.MissedRecords);
    }

    [Fact]
    public void Join_RefusesWhenEverySlotIsHeld_AndALeaverFreesOne()
    {
        string name = TestRing.UniqueName("bc-slots");
        RingOptions options = Options(SlowConsumerPolicy.Lossy);
        using var producer = RingProducer.Create(name, options);
        var consumers = new List<BroadcastConsumer>();
        try
        {
            for (int i = 0; i < BroadcastConsumer.MaxConsumers; i++)
            {
                consumers.Add(BroadcastConsumer.Join(name, options));
            }

            RingException refused = Assert.Throws<RingException>(() => BroadcastConsumer.Join(name, options));
            Assert.Equal(RingError.RoleTaken, refused.Error);
            Assert.Contains($"all {BroadcastConsumer.MaxConsumers} consumer slots", refused.Message, StringComparison.Ordinal);

            consumers[10].Dispose();
            consumers[10] = BroadcastConsumer.Join(name, options);
        }
        finally
        {
            consumers.ForEach(consumer => consumer.Dispose());
        }
    }

    [Fact]
    public void Join_ChecksThePolicyAndTheKind()
    {
        string name = TestRing.UniqueName("bc-policy");
        using var producer = RingProducer.Create(name, Options(SlowConsumerPolicy.Lossless));
        RingException mismatch = Assert.Throws<RingException>(() => BroadcastConsumer.Join(name, Options(SlowConsumerPolicy.Lossy)));
        Assert.Equal(RingError.FormatMismatch, mismatch.Error);
        Assert.Contains("slow consumer policy is Lossless", mismatch.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => BroadcastConsumer.Join(name, Options(SlowConsumerPolicy.Lossless) with { Kind = RingKind.SingleProducer }));
        RingException notARing = Assert.Throws<RingException>(() => RingConsumer.Attach(name, Options(SlowConsumerPolicy.Lossless) with { Kind = RingKind.SingleProducer }));
        Assert.Equal(RingError.FormatMismatch, notARing.Error);
    }

    [Fact]
    public void Read_ReportsPeerGone_OnceEverythingIsReadAndTheProducerLeft()
    {
        string name = TestRing.UniqueName("bc-gone");
        RingOptions options = Options(SlowConsumerPolicy.Lossless) with { KeepSegmentOnDispose = true };
        var producer = RingProducer.Create(name, options);
        try
        {
            using var consumer = BroadcastConsumer.Join(name, options);
            Assert.True(producer.TryWrite(BitConverter.GetBytes(1)));
            producer.Dispose();
            Assert.Equal(RingReadStatus.Record, consumer.Read(out RingRecord record, Patience));
            Assert.Equal(1, BitConverter.ToInt32(record.Payload));
            Assert.True(consumer.Release());
            Assert.Equal(RingReadStatus.PeerGone, consumer.Read(out _, Patience));
        }
        finally
        {
            producer.Dispose();
            File.Delete(TestRing.PathOf(name));
        }
    }

    [Fact]
    public async Task BlockingConsumers_AreAllWokenByOneCommit()
    {
        string name = TestRing.UniqueName("bc-block");
        RingOptions options = Options(SlowConsumerPolicy.Lossy) with { WaitStrategy = RingWaitStrategy.SpinThenBlock, SpinDuration = TimeSpan.Zero, PeerCheckInterval = TimeSpan.FromSeconds(30) };
        using var producer = RingProducer.Create(name, options);
        using var ready = new CountdownEvent(3);
        var readers = Enumerable.Range(0, 3).Select(_ => Task.Factory.StartNew(
            () =>
            {
                using var consumer = BroadcastConsumer.Join(name, options);
                ready.Signal();
                RingReadStatus status = consumer.Read(out RingRecord record, TimeSpan.FromSeconds(20));
                return status == RingReadStatus.Record ? BitConverter.ToInt32(record.Payload) : -1;
            },
            TaskCreationOptions.LongRunning)).ToArray();
        Assert.True(ready.Wait(Patience));
        Thread.Sleep(200); // let them fall asleep on the futex (a wait shorter than the peer check)
        Assert.True(producer.TryWrite(BitConverter.GetBytes(42)));
        // Far less than the sleep's budget (the 20 s timeout): only the producer's wake-up ends it this soon.
        int[] values = await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(3));
        Assert.All(values, value => Assert.Equal(42, value));
    }
}
