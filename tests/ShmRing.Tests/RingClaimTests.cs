using ShmIpc.ShmRing.Tests.Support;

namespace ShmIpc.ShmRing.Tests;

/// <summary>The claim as a value: committed, aborted, or aborted by Dispose, and closed for every copy once it is.</summary>
public sealed class RingClaimTests
{
    [Theory]
    [InlineData(RingKind.SingleProducer)]
    [InlineData(RingKind.MultiProducer)]
    public void Commit_DeliversTheRecord_AndASecondCommitThrows(RingKind kind)
    {
        using var ring = new ClaimRing(kind);
        Assert.True(ring.Producer.TryClaim(100, out RingClaim claim));
        claim.Destination[..3].Fill(5);
        claim.Commit(3, recordType: 8);

        ClaimAssert.Throws<InvalidOperationException>(claim, c => c.Commit(3, recordType: 8));
        ClaimAssert.Throws<InvalidOperationException>(claim, c => c.Abort());
        ring.AssertDeliversOnly(8, [5, 5, 5]);
    }

    [Theory]
    [InlineData(RingKind.SingleProducer)]
    [InlineData(RingKind.MultiProducer)]
    public void Abort_DeliversNothing_AndTheRingTakesTheNextRecord(RingKind kind)
    {
        using var ring = new ClaimRing(kind);
        Assert.True(ring.Producer.TryClaim(100, out RingClaim claim));
        claim.Destination.Fill(0xEE);
        claim.Abort();

        ClaimAssert.Throws<InvalidOperationException>(claim, c => c.Commit(1));
        Assert.True(ring.Producer.TryWrite([9], recordType: 3));
        ring.AssertDeliversOnly(3, [9]);
    }

    [Theory]
    [InlineData(RingKind.SingleProducer)]
    [InlineData(RingKind.MultiProducer)]
    public void Dispose_WithoutCommit_Aborts(RingKind kind)
    {
        using var ring = new ClaimRing(kind);
        Assert.True(ring.Producer.TryClaim(100, out RingClaim claim));
        using (claim)
        {
            claim.Destination.Fill(0xEE);
        }

        ClaimAssert.Throws<InvalidOperationException>(claim, c => c.Commit(1));
        Assert.True(ring.Producer.TryWrite([9], recordType: 3));
        ring.AssertDeliversOnly(3, [9]);
    }

    [Theory]
    [InlineData(RingKind.SingleProducer)]
    [InlineData(RingKind.MultiProducer)]
    public void AThrowInsideAUsingClaim_GivesTheSpaceBack_AndLeavesTheRingUsable(RingKind kind)
    {
        using var ring = new ClaimRing(kind);

        Assert.Throws<FormatException>(() => EncodeAndFail(ring.Producer));

        Assert.True(ring.Producer.TryWrite([9], recordType: 3));
        ring.AssertDeliversOnly(3, [9]);
        Assert.Equal(1, ring.Producer.Counters.Messages);
    }

    [Fact]
    public void Dispose_AfterCommit_DoesNothing_EvenToTheNextClaim()
    {
        using var ring = new ClaimRing(RingKind.SingleProducer);
        Assert.True(ring.Producer.TryClaim(10, out RingClaim first));
        RingClaim copy = first;
        first.Commit(1, recordType: 1);
        Assert.True(ring.Producer.TryClaim(10, out RingClaim second));

        // The first claim (and any copy of it) is closed: disposing it must not abort the claim now open.
        first.Dispose();
        copy.Dispose();
        ClaimAssert.Throws<InvalidOperationException>(copy, c => c.Commit(1));
        second.Commit(2, recordType: 2);

        Assert.True(ring.Consumer.TryRead(out RingRecord one));
        Assert.Equal(1, one.Type);
        ring.Consumer.Release();
        Assert.True(ring.Consumer.TryRead(out RingRecord two));
        Assert.Equal(2, two.Type);
        Assert.Equal(2, two.Payload.Length);
    }

    [Fact]
    public void ADefaultClaim_CannotBeCommittedOrAborted_AndDisposesQuietly()
    {
        using var ring = new ClaimRing(RingKind.SingleProducer);
        while (ring.Producer.TryWrite(new byte[4000]))
        {
        }

        Assert.False(ring.Producer.TryClaim(4000, out RingClaim claim));
        Assert.True(claim.Destination.IsEmpty);
        ClaimAssert.Throws<InvalidOperationException>(claim, c => c.Commit(0));
        ClaimAssert.Throws<InvalidOperationException>(claim, c => c.Abort());
        claim.Dispose();
        Assert.False(ring.Producer.TryClaim(4000, out _)); // still full, and no claim was left open
    }

    [Fact]
    public void ProducerDispose_AbortsTheOpenClaim_WhichThenThrowsObjectDisposed()
    {
        using var ring = new ClaimRing(RingKind.MultiProducer);
        var producer = RingProducer.Attach(ring.Name, ring.Options);
        Assert.True(producer.TryClaim(100, out RingClaim claim));
        producer.Dispose();

        ClaimAssert.Throws<ObjectDisposedException>(claim, c => c.Commit(1));
        claim.Dispose();

        // The aborted claim became padding: the consumer passes it without waiting for a dead-claim proof.
        Assert.True(ring.Producer.TryWrite([9], recordType: 3));
        ring.AssertDeliversOnly(3, [9]);
        Assert.Equal(0, ring.Consumer.Counters.SkippedRecords);
    }

    private static void EncodeAndFail(RingProducer producer)
    {
        Assert.True(producer.TryClaim(100, out RingClaim claim));
        using (claim)
        {
            claim.Destination[0] = 1;
            throw new FormatException("the encoder failed half way");
        }
    }

    /// <summary>A consumer that creates the ring and a producer attached to it.</summary>
    private sealed class ClaimRing : IDisposable
    {
        public ClaimRing(RingKind kind)
        {
            Name = TestRing.UniqueName("claim");
            Options = TestRing.Small(kind);
            Consumer = RingConsumer.Create(Name, Options);
            Producer = RingProducer.Attach(Name, Options);
        }

        public string Name { get; }

        public RingOptions Options { get; }

        public RingConsumer Consumer { get; }

        public RingProducer Producer { get; }

        /// <summary>The consumer gets exactly one record, of this type and payload, and then nothing.</summary>
        public void AssertDeliversOnly(int type, byte[] payload)
        {
            Assert.True(Consumer.TryRead(out RingRecord record));
            Assert.Equal(type, record.Type);
            Assert.Equal(payload, record.Payload.ToArray());
            Consumer.Release();
            Assert.False(Consumer.TryRead(out _));
        }

        public void Dispose()
        {
            Producer.Dispose();
            Consumer.Dispose();
        }
    }
}
