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

        Assert.True(producer.TryClaim(4096, out Span<byte> destination));
        Assert.Equal(4096, destination.Length);
        destination[..5].Fill(7);
        producer.Commit(5, recordType: 42);

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
            Assert.True(producer.TryClaim(length, out Span<byte> destination));
            fixed (byte* pointer = destination)
            {
                Assert.Equal(0, (long)pointer % 64);
            }

            producer.Commit(length);
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
        using var producer = RingProducer.Create(name, TestRing.Small());

        Assert.Throws<ArgumentOutOfRangeException>(() => producer.TryClaim(4097, out _));
        Assert.Throws<InvalidOperationException>(() => producer.Commit(1));
        Assert.True(producer.TryClaim(10, out _));
        Assert.Throws<InvalidOperationException>(() => producer.TryClaim(10, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => producer.Commit(11));
        Assert.Throws<ArgumentOutOfRangeException>(() => producer.Commit(5, recordType: -1));
        producer.Commit(10);
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

        var watch = System.Diagnostics.Stopwatch.StartNew();
        RingWriteStatus status = producer.Write(new byte[4000], TimeSpan.FromMilliseconds(200));

        Assert.Equal(RingWriteStatus.TimedOut, status);
        Assert.InRange(watch.ElapsedMilliseconds, 190, 5000);
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

        Assert.Equal(RingWriteStatus.Success, producer.Write(new byte[4000], TimeSpan.FromSeconds(10), written));
        Assert.True(reader.Join(TimeSpan.FromSeconds(10)));
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

        Assert.Equal(RingWriteStatus.PeerGone, producer.Write(new byte[4000], Timeout.InfiniteTimeSpan));
        Assert.InRange(watch.ElapsedMilliseconds, 0, 1000);
        Assert.Equal(1, producer.Counters.PeerGoneEvents);
    }

    [Fact]
    public void Abort_InMultiProducerRing_PublishesPaddingTheConsumerSkips()
    {
        string name = TestRing.UniqueName("abort");
        RingOptions options = TestRing.Small(RingKind.MultiProducer);
        using var consumer = RingConsumer.Create(name, options);
        using var producer = RingProducer.Attach(name, options);

        Assert.True(producer.TryClaim(100, out _));
        producer.Abort();
        Assert.True(producer.TryWrite([9], recordType: 3));

        Assert.True(consumer.TryRead(out RingRecord record));
        Assert.Equal(3, record.Type);
        Assert.Equal([9], record.Payload.ToArray());
    }
}
