using ShmIpc.ShmRing.Tests.Support;

namespace ShmIpc.ShmRing.Tests;

public sealed class RingProducerTests
{
    [Fact]
    public void ClaimWriteCommit_DeliversTheCommittedLengthInPlace()
    {
        string name = TestRing.UniqueName("claim");
        using var consumer = RingConsumer.Create(name, TestRing.Small());
        using var producer = RingProducer.Attach(name, TestRing.Small());

        Assert.True(producer.TryClaim(4096, out RingClaim claim));
        Assert.Equal(4096, claim.Destination.Length);
        claim.Destination[..5].Fill(7);
        claim.Commit(5, recordType: 42);

        Assert.True(consumer.TryRead(out RingRecord record));
        Assert.Equal(42, record.Type);
        Assert.Equal([7, 7, 7, 7, 7], record.Payload.ToArray());
        consumer.Release();
        Assert.False(consumer.TryRead(out _));
    }

    [Fact]
    public unsafe void Payload_StartsOn64ByteBoundaryInTheMapping()
    {
        string name = TestRing.UniqueName("align");
        using var consumer = RingConsumer.Create(name, TestRing.Small());
        using var producer = RingProducer.Attach(name, TestRing.Small());
        for (int length = 1; length < 300; length += 37)
        {
            Assert.True(producer.TryClaim(length, out RingClaim claim));
            fixed (byte* pointer = claim.Destination)
            {
                Assert.Equal(0, (long)pointer % 64);
            }

            claim.Commit(length);
            Assert.True(consumer.TryRead(out RingRecord record));
            fixed (byte* pointer = record.Payload)
            {
                Assert.Equal(0, (long)pointer % 64);
            }

            consumer.Release();
        }
    }

    [Fact]
    public void Commit_RejectsMoreThanClaimedAndClaimRejectsTooLarge()
    {
        string name = TestRing.UniqueName("bounds");
        using var consumer = RingConsumer.Create(name, TestRing.Small());
        using var producer = RingProducer.Attach(name, TestRing.Small());

        Assert.Throws<ArgumentOutOfRangeException>(() => producer.TryClaim(4097, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => producer.TryClaim(-1, out _));
        Assert.True(producer.TryClaim(10, out RingClaim claim));
        Assert.Throws<InvalidOperationException>(() => producer.TryClaim(10, out _));
        ClaimAssert.Throws<ArgumentOutOfRangeException>(claim, c => c.Commit(11));
        ClaimAssert.Throws<ArgumentOutOfRangeException>(claim, c => c.Commit(5, recordType: -1));

        // A rejected commit leaves the claim open.
        claim.Commit(10, recordType: 4);
        Assert.True(consumer.TryRead(out RingRecord record));
        Assert.Equal(4, record.Type);
        Assert.Equal(10, record.Payload.Length);
    }

    [Fact]
    public void Attach_ThrowsCorruptedWhenTheRecordAfterTheProducerPositionHasABadLength()
    {
        string name = TestRing.UniqueName("recover-corrupt");
        using var consumer = RingConsumer.Create(name, TestRing.Small());
        using (var predecessor = RingProducer.Attach(name, TestRing.Small()))
        {
            Assert.True(predecessor.TryWrite([1]));
        }

        // As if the predecessor died between its commit and its position store, with the record's length corrupted:
        // the successor scans the committed record from position 0 and must reject its length.
        TestRing.PokeUInt64(name, RingLayout.ProducerPositionOffset, 0);
        TestRing.PokeUInt32(name, RingLayout.DataOffset + RingLayout.RecordLengthOffset, 100);

        var error = Assert.Throws<RingException>(() => RingProducer.Attach(name, TestRing.Small()));

        Assert.Equal(RingError.Corrupted, error.Error);
        Assert.Contains("record at position 0 has length 100", error.Message, StringComparison.Ordinal);

        // Refusing gave the producer role back: once the segment is sound again, this process attaches.
        TestRing.PokeUInt32(name, RingLayout.DataOffset + RingLayout.RecordLengthOffset, 128);
        using var successor = RingProducer.Attach(name, TestRing.Small());
        Assert.True(successor.TryWrite([2]));
    }

    [Fact]
    public void Attach_ThrowsCorruptedForAMisalignedProducerPosition()
    {
        string name = TestRing.UniqueName("producer-position");
        using var consumer = RingConsumer.Create(name, TestRing.Small());
        TestRing.PokeUInt64(name, RingLayout.ProducerPositionOffset, 100);

        var error = Assert.Throws<RingException>(() => RingProducer.Attach(name, TestRing.Small()));

        Assert.Equal(RingError.Corrupted, error.Error);
        Assert.Contains("producer position 100", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(RingKind.SingleProducer)]
    [InlineData(RingKind.MultiProducer)]
    public void TryWrite_ReturnsFalseAndCountsWhenFull_NeverOverwrites(RingKind kind)
    {
        string name = TestRing.UniqueName("full");
        RingOptions options = TestRing.Small(kind);
        using var consumer = RingConsumer.Create(name, options);
        using var producer = RingProducer.Attach(name, options);
        byte[] payload = new byte[1000];

        int written = 0;
        while (producer.TryWrite(payload, recordType: written))
        {
            written++;
        }

        // 64 KiB of 1,088-byte records (64 header + 1,024): 60 fit (plus a padding record at the wrap point).
        Assert.Equal(options.Capacity / 1088, written);
        Assert.Equal(1, producer.Counters.FullEvents);
        Assert.False(producer.TryWrite(payload));
        Assert.Equal(2, producer.Counters.FullEvents);

        for (int i = 0; i < written; i++)
        {
            Assert.True(consumer.TryRead(out RingRecord record));
            Assert.Equal(i, record.Type);
            consumer.Release();
        }

        Assert.True(producer.TryWrite(payload, recordType: 99));
        Assert.True(consumer.TryRead(out RingRecord next));
        Assert.Equal(99, next.Type);
    }

    [Fact]
    public void Write_TimesOutWhenFullAndTheConsumerDoesNotRead()
    {
        string name = TestRing.UniqueName("timeout");
        using var consumer = RingConsumer.Create(name, TestRing.Small());
        using var producer = RingProducer.Attach(name, TestRing.Small());
        while (producer.TryWrite(new byte[4000]))
        {
        }

        // On its own thread, so a write that ignores its timeout fails this test instead of hanging the run.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        long elapsedMilliseconds = 0;
        RingWriteStatus status = RingWriteStatus.Success;
        var writer = Background.Start(() =>
        {
            status = producer.Write(new byte[4000], TimeSpan.FromMilliseconds(200));
            elapsedMilliseconds = watch.ElapsedMilliseconds;
        });
        bool returned = writer.Join(TimeSpan.FromSeconds(10));
        if (!returned)
        {
            // Make room so the stuck write can finish before the ring is unmapped under it.
            Assert.True(consumer.TryRead(out _));
            consumer.Release();
            writer.Join(TimeSpan.FromSeconds(10));
        }

        Assert.True(returned, "Write with a 200 ms timeout was still waiting after 10 s");
        Assert.Equal(RingWriteStatus.TimedOut, status);
        Assert.InRange(elapsedMilliseconds, 190, 5000);
    }

    [Fact]
    public void Write_WaitsForSpaceAndSucceedsOnceTheConsumerReleases()
    {
        string name = TestRing.UniqueName("wait");
        using var consumer = RingConsumer.Create(name, TestRing.Small());
        using var producer = RingProducer.Attach(name, TestRing.Small());
        int written = 0;
        while (producer.TryWrite(new byte[4000], written))
        {
            written++;
        }

        var reader = Background.Start(() =>
        {
            Thread.Sleep(100);
            Assert.True(consumer.TryRead(out _));
            consumer.Release();
        });

        byte[] payload = [.. Enumerable.Range(0, 4000).Select(index => (byte)(index * 7))];
        Assert.Equal(RingWriteStatus.Success, producer.Write(payload, TimeSpan.FromSeconds(10), written));
        Assert.True(reader.Join(TimeSpan.FromSeconds(10)));

        // What the waiting write delivered: after the records that filled the ring, its own, copied whole.
        for (int type = 1; type < written; type++)
        {
            Assert.True(consumer.TryRead(out RingRecord filler));
            Assert.Equal(type, filler.Type);
            consumer.Release();
        }

        Assert.True(consumer.TryRead(out RingRecord record), "the waiting write's record was never committed");
        Assert.Equal(written, record.Type);
        Assert.Equal(payload, record.Payload.ToArray());
        consumer.Release();
        Assert.False(consumer.TryRead(out _));
    }

    [Fact]
    public void Write_ReturnsPeerGoneWhenTheConsumerProcessIsKilled()
    {
        string name = TestRing.UniqueName("consumer-dies");
        RingOptions options = TestRing.Small();
        using var producer = RingProducer.Create(name, options);
        using var consumerProcess = PeerProcess.Start(PeerProcess.Ring("attach-consumer-and-sleep", name, options));
        while (producer.TryWrite(new byte[4000]))
        {
        }

        Assert.Equal(RingWriteStatus.TimedOut, producer.Write(new byte[4000], TimeSpan.FromMilliseconds(100)));
        consumerProcess.KillHard();
        var watch = System.Diagnostics.Stopwatch.StartNew();

        // A timeout well past the bound below: a dead consumer missed ends in TimedOut and fails, instead of hanging.
        Assert.Equal(RingWriteStatus.PeerGone, producer.Write(new byte[4000], TimeSpan.FromSeconds(10)));
        Assert.InRange(watch.ElapsedMilliseconds, 0, 2000); // peer check every 20 ms; generous for a loaded CI machine
        Assert.Equal(1, producer.Counters.PeerGoneEvents);
    }
}
