using ShmIpc.ShmRing.Broadcast;
using ShmIpc.ShmRing.Tests.Support;

namespace ShmIpc.ShmRing.Tests;

/// <summary>
/// <see cref="RingProducer.Pretouch"/>: it writes only the free space the next claim takes (one store a line), publishes
/// nothing, and leaves every record a consumer may still read intact, for each ring kind that has it.
/// </summary>
public sealed class RingProducerPretouchTests
{
    /// <summary>Records of 1,000 bytes take 1,088 (64-byte header, payload rounded up to 64): 3 a lap, then padding.</summary>
    private const int PayloadLength = 1000;

    public static TheoryData<string> Rings => ["spsc", "broadcast-lossless", "broadcast-lossy"];

    [Theory]
    [MemberData(nameof(Rings))]
    public void Pretouch_StoresIntoEachLineOfTheNextClaimsPayload_AndPublishesNothing(string ring)
    {
        using var pair = RingPair.Open(ring);

        // A lap of records whose bytes are all 0xFF, read and released: the space is free and holds their bytes.
        for (int i = 0; i < 3; i++)
        {
            Assert.True(pair.Producer.TryClaim(PayloadLength, out RingClaim claim));
            claim.Destination.Fill(0xFF);
            claim.Commit(PayloadLength);
            Assert.True(pair.TryReadAndRelease(out _));
        }

        // The lap's end has room for no record: the pretouch pads it, as the claim would, and touches offset 0.
        Assert.True(pair.Producer.Pretouch(PayloadLength));
        Assert.False(pair.TryReadAndRelease(out _));

        Assert.True(pair.Producer.TryClaim(PayloadLength, out RingClaim next));
        byte[] seen = next.Destination.ToArray();
        for (int offset = 0; offset < PayloadLength; offset++)
        {
            // Each 64-byte line's first 8 bytes were stored (zero); every other byte is the old record's.
            Assert.Equal(offset % 64 < 8 ? 0 : 0xFF, seen[offset]);
        }

        next.Destination.Fill(7);
        next.Commit(PayloadLength, recordType: 5);
        Assert.True(pair.TryReadAndRelease(out byte[] payload));
        Assert.All(payload, value => Assert.Equal(7, value));
    }

    [Theory]
    [InlineData("spsc")]
    [InlineData("broadcast-lossless")]
    public void Pretouch_ReturnsFalseAndWritesNothing_WhereTheConsumerHasNotReleasedTheSpace(string ring)
    {
        using var pair = RingPair.Open(ring);
        ulong written = 0;
        while (pair.Producer.TryClaim(PayloadLength, out RingClaim claim))
        {
            ChecksummedRecord.Fill(claim.Destination[..PayloadLength], written++);
            claim.Commit(PayloadLength);
        }

        Assert.False(pair.Producer.Pretouch(PayloadLength));

        for (ulong sequence = 0; sequence < written; sequence++)
        {
            Assert.True(pair.TryReadAndRelease(out byte[] payload));
            Assert.True(ChecksummedRecord.IsValid(payload, sequence), $"record {sequence} changed");
        }
    }

    [Theory]
    [MemberData(nameof(Rings))]
    public void Pretouch_BeforeEveryClaim_OverManyLaps_DeliversEveryRecordIntact(string ring)
    {
        using var pair = RingPair.Open(ring);
        var random = new Random(17);
        for (ulong sequence = 0; sequence < 200; sequence++)
        {
            int length = random.Next(ChecksummedRecord.MinLength, 1501);
            Assert.True(pair.Producer.Pretouch(length));
            Assert.True(pair.Producer.TryClaim(length, out RingClaim claim));
            ChecksummedRecord.Fill(claim.Destination, sequence);
            claim.Commit(length);

            Assert.True(pair.TryReadAndRelease(out byte[] payload));
            Assert.True(ChecksummedRecord.IsValid(payload, sequence), $"record {sequence} is not what was written");
        }

        Assert.False(pair.TryReadAndRelease(out _));
    }

    [Fact]
    public void Lossy_APretouchOverTheRecordAConsumerHolds_GivesItUpAsTheClaimWould()
    {
        using var pair = RingPair.Open("broadcast-lossy");
        Assert.True(pair.Producer.TryWrite(new byte[PayloadLength]));
        Assert.True(pair.Broadcast!.TryRead(out _));

        // Two more records fill the lap; the next one (padding, then offset 0) overwrites the held one.
        Assert.True(pair.Producer.TryWrite(new byte[PayloadLength]));
        Assert.True(pair.Producer.TryWrite(new byte[PayloadLength]));
        Assert.True(pair.Producer.Pretouch(PayloadLength));

        Assert.False(pair.Broadcast.Release());
        Assert.Equal(1, pair.Broadcast.MissedRecords);
    }

    [Fact]
    public void Pretouch_OfAnMpscRing_DoesNothing_AndBadArgumentsAreRejected()
    {
        string name = TestRing.UniqueName("pretouch-mpsc");
        using var consumer = RingConsumer.Create(name, TestRing.Small(RingKind.MultiProducer));
        using var producer = RingProducer.Attach(name, TestRing.Small(RingKind.MultiProducer));
        Assert.False(producer.Pretouch(100));

        using var pair = RingPair.Open("spsc");
        Assert.Throws<ArgumentOutOfRangeException>(() => pair.Producer.Pretouch(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => pair.Producer.Pretouch(pair.Producer.MaxRecordSize + 1));
        Assert.True(pair.Producer.TryClaim(10, out RingClaim claim));
        Assert.Throws<InvalidOperationException>(() => pair.Producer.Pretouch(10));
        claim.Commit(10);
        Assert.True(pair.Producer.Pretouch(10));
    }

    /// <summary>A producer and one consumer of a 4 KiB ring of the named kind, in this process.</summary>
    private sealed class RingPair : IDisposable
    {
        private readonly RingConsumer? _consumer;

        private RingPair(RingProducer producer, RingConsumer? consumer, BroadcastConsumer? broadcast)
        {
            Producer = producer;
            _consumer = consumer;
            Broadcast = broadcast;
        }

        public RingProducer Producer { get; }

        public BroadcastConsumer? Broadcast { get; }

        public static RingPair Open(string ring)
        {
            string name = TestRing.UniqueName("pretouch");
            RingOptions options = TestRing.Small(ring == "spsc" ? RingKind.SingleProducer : RingKind.Broadcast) with
            {
                Capacity = 4096,
                MaxRecordSize = 1500,
                SlowConsumer = ring == "broadcast-lossy" ? SlowConsumerPolicy.Lossy : SlowConsumerPolicy.Lossless,
            };
            if (ring == "spsc")
            {
                var consumer = RingConsumer.Create(name, options);
                return new RingPair(RingProducer.Attach(name, options), consumer, null);
            }

            var producer = RingProducer.Create(name, options);
            return new RingPair(producer, null, BroadcastConsumer.Join(name, options, BroadcastStart.Oldest));
        }

        /// <summary>Reads the next record, copies its payload and releases it; false if there is none (or it was torn).</summary>
        public bool TryReadAndRelease(out byte[] payload)
        {
            payload = [];
            if (_consumer is not null)
            {
                if (!_consumer.TryRead(out RingRecord record))
                {
                    return false;
                }

                payload = record.Payload.ToArray();
                _consumer.Release();
                return true;
            }

            if (!Broadcast!.TryRead(out RingRecord broadcastRecord))
            {
                return false;
            }

            payload = broadcastRecord.Payload.ToArray();
            return Broadcast.Release();
        }

        public void Dispose()
        {
            _consumer?.Dispose();
            Broadcast?.Dispose();
            Producer.Dispose();
        }
    }
}
