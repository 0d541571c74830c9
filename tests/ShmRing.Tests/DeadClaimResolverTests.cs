using ShmIpc.ShmRing.Tests.Support;

namespace ShmIpc.ShmRing.Tests;

/// <summary>
/// The MPSC skip decision, with producer slots written by hand: two dead producers claiming the same position (the
/// CAS loser died before retrying) must be told apart by proof, never guessed; an intent never installed, a detached
/// producer's intent and a committed stuck position never cause a skip.
/// </summary>
public sealed class DeadClaimResolverTests
{
    private const ulong Winner = 2; // claimant index of slot 1
    private const ulong Loser = 1;  // claimant index of slot 0

    [Fact]
    public void SameEnd_TheInstalledClaimWordProvesTheWinner()
    {
        using var ring = new HandBuiltRing();
        ring.SetIntent(slot: 0, replaced: 0, end: 128 | Loser, live: false);
        ring.SetIntent(slot: 1, replaced: 0, end: 128 | Winner, live: false);
        ring.SetClaimWord(128 | Winner);

        Assert.True(ring.Resolver.TryFindSkipTarget(0, out long skipTo));
        Assert.Equal(128, skipTo);
    }

    [Fact]
    public void DifferentEnds_TheInstalledClaimWordProvesTheWinner()
    {
        using var ring = new HandBuiltRing();
        ring.SetIntent(slot: 0, replaced: 0, end: 256 | Loser, live: false);
        ring.SetIntent(slot: 1, replaced: 0, end: 128 | Winner, live: false);
        ring.SetClaimWord(128 | Winner);

        Assert.True(ring.Resolver.TryFindSkipTarget(0, out long skipTo));
        Assert.Equal(128, skipTo);
    }

    [Fact]
    public void DifferentEnds_ASuccessorsIntentProvesTheWinner()
    {
        using var ring = new HandBuiltRing();
        ring.SetIntent(slot: 0, replaced: 0, end: 256 | Loser, live: false);
        ring.SetIntent(slot: 1, replaced: 0, end: 128 | Winner, live: false);
        ring.SetIntent(slot: 2, replaced: 128 | Winner, end: 192 | 3, live: true);
        ring.SetClaimWord(192 | 3);

        Assert.True(ring.Resolver.TryFindSkipTarget(0, out long skipTo));
        Assert.Equal(128, skipTo);
    }

    [Fact]
    public void DifferentEnds_TheNextCommittedRecordProvesTheWinner()
    {
        using var ring = new HandBuiltRing();
        ring.SetIntent(slot: 0, replaced: 0, end: 256 | Loser, live: false);
        ring.SetIntent(slot: 1, replaced: 0, end: 128 | Winner, live: false);
        ring.CommitRecordAt(128, claimedAfter: 128 | Winner);
        ring.SetClaimWord(4096 | 3);

        Assert.True(ring.Resolver.TryFindSkipTarget(0, out long skipTo));
        Assert.Equal(128, skipTo);
    }

    [Fact]
    public void DifferentEnds_WithoutProof_NothingIsSkipped()
    {
        using var ring = new HandBuiltRing();
        ring.SetIntent(slot: 0, replaced: 0, end: 256 | Loser, live: false);
        ring.SetIntent(slot: 1, replaced: 0, end: 128 | Winner, live: false);
        ring.SetClaimWord(4096 | 3);

        Assert.False(ring.Resolver.TryFindSkipTarget(0, out _));
    }

    [Fact]
    public void AnIntentBeyondTheClaimedPosition_IsNeverSkippedTo()
    {
        using var ring = new HandBuiltRing();
        ring.SetIntent(slot: 0, replaced: 0, end: 1024 | Loser, live: false);
        ring.SetClaimWord(128 | Winner);

        Assert.False(ring.Resolver.TryFindSkipTarget(0, out _));
    }

    [Fact]
    public void AnIntentNeverInstalled_ProvesNothing()
    {
        using var ring = new HandBuiltRing();

        // Slot 0 died between its intent and its CAS; slot 1 won [0, 192) and its intent is gone (the scan missed it).
        ring.SetIntent(slot: 0, replaced: 0, end: 64 | Loser, live: false);
        ring.SetClaimWord(192 | Winner);

        Assert.False(ring.Resolver.TryFindSkipTarget(0, out _));
    }

    [Fact]
    public void ACommittedRecordAtTheStuckPosition_IsNeverSkipped()
    {
        using var ring = new HandBuiltRing();

        // Killed between its commit and its intent clear: dead, proven installed, and yet its record is there.
        ring.SetIntent(slot: 0, replaced: 0, end: 128 | Loser, live: false);
        ring.SetClaimWord(128 | Loser);
        ring.CommitRecordAt(0, claimedAfter: 0);

        Assert.False(ring.Resolver.TryFindSkipTarget(0, out _));
    }

    [Fact]
    public void ADetachedProducersIntent_IsNoClaimInFlight()
    {
        using var ring = new HandBuiltRing();
        ring.SetIntent(slot: 0, replaced: 0, end: 128 | Loser, live: false);
        ring.SetOwner(slot: 0, OwnerWord.Detached(OwnerWord.Attached(ProcessIdentity.Current)));
        ring.SetClaimWord(128 | Loser);

        Assert.False(ring.Resolver.TryFindSkipTarget(0, out _));
    }

    [Fact]
    public void ALiveProducersLostCasIntent_DoesNotHideAProvenDeadClaim()
    {
        using var ring = new HandBuiltRing();

        // Slot 0 lost its CAS for [0, 64) and now waits for space (its intent stays); slot 1 won [0, 128) and died.
        ring.SetIntent(slot: 0, replaced: 0, end: 64 | Loser, live: true);
        ring.SetIntent(slot: 1, replaced: 0, end: 128 | Winner, live: false);
        ring.SetClaimWord(128 | Winner);

        Assert.True(ring.Resolver.TryFindSkipTarget(0, out long skipTo));
        Assert.Equal(128, skipTo);
    }

    [Fact]
    public void ALiveClaimant_IsWaitedFor()
    {
        using var ring = new HandBuiltRing();
        ring.SetIntent(slot: 0, replaced: 0, end: 128 | Loser, live: true);
        ring.SetClaimWord(128 | Loser);

        Assert.False(ring.Resolver.TryFindSkipTarget(0, out _));
    }

    [Fact]
    public void AClaimCoveringPaddingAndRecord_IsSkippedFromInsideIt()
    {
        using var ring = new HandBuiltRing();
        ring.SetIntent(slot: 0, replaced: 3968, end: (4096 + 256) | Loser, live: false);
        ring.SetClaimWord((4096 + 256) | Loser);

        // The consumer already skipped the dead producer's padding at 3968 and is stuck at 4096.
        Assert.True(ring.Resolver.TryFindSkipTarget(4096, out long skipTo));
        Assert.Equal(4096 + 256, skipTo);
    }

    /// <summary>An MPSC segment plus a second mapping of its file through which the test writes shared state.</summary>
    private sealed class HandBuiltRing : IDisposable
    {
        private readonly RingConsumer _consumer;
        private readonly MappedFile _file;
        private readonly ulong _tagKey;

        public HandBuiltRing()
        {
            string name = TestRing.UniqueName("resolver");
            RingOptions options = TestRing.Small(RingKind.MultiProducer) with { Capacity = 4096, MaxRecordSize = 1000 };
            _consumer = RingConsumer.Create(name, options);
            var stream = new FileStream(TestRing.PathOf(name), FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            _file = new MappedFile(stream, RingLayout.DataOffset + options.Capacity);
            _tagKey = new RingHeader(_file).TagKey;
        }

        public DeadClaimResolver Resolver => new(new RingHeader(_file), new DataRegion(_file, 4096, _tagKey));

        public void SetIntent(int slot, ulong replaced, ulong end, bool live)
        {
            ProducerSlot producer = new RingHeader(_file).Slot(slot);
            producer.Owner = live ? OwnerWord.Attached(ProcessIdentity.Current) : DeadOwner.Word;
            producer.IntentReplaced = replaced;
            producer.IntentEnd = end;
        }

        public void SetOwner(int slot, ulong owner) => new RingHeader(_file).Slot(slot).Owner = owner;

        public void SetClaimWord(ulong claimWord) => new RingHeader(_file).ClaimWord = claimWord;

        public void CommitRecordAt(long position, ulong claimedAfter)
        {
            RecordHeader header = new DataRegion(_file, 4096, _tagKey).HeaderAt(position);
            header.Length = 64;
            header.ClaimedAfter = claimedAfter;
            header.CommitTag = RingLayout.CommitTag(position, _tagKey);
        }

        public void Dispose()
        {
            _file.Dispose();
            _consumer.Dispose();
        }
    }
}
