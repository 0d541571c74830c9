namespace ShmIpc.ShmRing;

/// <summary>
/// Decides, for an MPSC consumer stuck at a claimed but uncommitted position, whether the claim belongs to a producer
/// proven dead and how far to skip. Never on a timeout alone: only a producer whose pid and start time show it dead
/// is skipped, so a paused producer is waited for.
/// </summary>
/// <remarks>
/// Each producer writes its intent (the claim word it reads, <c>IntentReplaced</c>, and the one it installs,
/// <c>IntentEnd</c> = end position | its index) before its CAS on the claim word, and clears it after its commit. A dead
/// producer's slot therefore still names its claim. An intent alone proves nothing: its producer may have died before
/// its CAS (the claim never happened), so a skip needs proof that the claim word really held that <c>IntentEnd</c>: it
/// is the claim word now, or another producer's <c>IntentReplaced</c>, or the <c>ClaimedAfter</c> of the record
/// committed right after it. Every one of those values was read from the claim word, and the claimant index makes each
/// claim word unique. A detached producer committed (or aborted) before detaching: it has no claim in flight. Last,
/// the tag at the stuck position is loaded again after the scan: a claimant that committed (and maybe detached)
/// while the scan ran is never skipped.
/// </remarks>
internal readonly ref struct DeadClaimResolver
{
    private readonly RingHeader _header;
    private readonly DataRegion _data;

    /// <param name="header">The segment's header (claim word, producer slots).</param>
    /// <param name="data">The records, with the capacity validated at attach (never re-read from the shared header).</param>
    public DeadClaimResolver(RingHeader header, DataRegion data)
    {
        _header = header;
        _data = data;
    }

    /// <summary>True and the position after the dead claim covering <paramref name="stuckPosition"/>, if proven.</summary>
    public bool TryFindSkipTarget(long stuckPosition, out long skipTo)
    {
        // SYNC POINT acquire, partner the producers' CAS on the claim word (MultiProducerClaims.TryClaim): the intent of
        // every claim up to this value is visible (stored before its CAS).
        long claimed = (long)(Volatile.Read(ref _header.ClaimWord) & ~RingLayout.ClaimantIndexMask);
        RingStepHooks.At(RingStep.ConsumerScanStarting, stuckPosition);
        skipTo = 0;
        long provenEnd = -1;
        for (int slot = 0; slot < RingLayout.ProducerSlotCount; slot++)
        {
            if (!TryReadIntent(slot, out ulong intentEnd, out ulong intentReplaced))
            {
                continue;
            }

            long start = (long)(intentReplaced & ~RingLayout.ClaimantIndexMask);
            long end = (long)(intentEnd & ~RingLayout.ClaimantIndexMask);
            // Only an intent that covers the stuck position and lies inside what was claimed: the skip can never jump
            // over space no producer claimed, whatever a slot holds.
            if (stuckPosition < start || stuckPosition >= end || end > claimed || end - start > _data.Capacity)
            {
                continue;
            }

            RingStepHooks.At(RingStep.ConsumerIntentRead, end);

            // SYNC POINT acquire, partner the producer's CAS at attach and its release store at detach (after its last
            // commit: a detached owner's claims are all published).
            ulong owner = Volatile.Read(ref _header.Slot(slot).Owner);
            // Detached: nothing in flight. Live: writing, or paused (not dead), or holding the intent of a CAS it lost.
            if (OwnerWord.IsDetached(owner) || OwnerWord.IsLive(owner))
            {
                continue;
            }

            // Installed claims are disjoint: a proven one covering the stuck position is the only claim there.
            if (WasInstalled(intentEnd))
            {
                provenEnd = end;
                break;
            }
        }

        RingStepHooks.At(RingStep.ConsumerIntentsScanned, stuckPosition);

        // The claimant may have committed (and cleared its intent, or detached) after our first look at the tag: if it
        // did, the scan may have missed it, but this load sees its record (its tag store precedes the intent clear and
        // the detach that the scan read).
        if (provenEnd < 0 || _data.IsCommitted(stuckPosition))
        {
            return false;
        }

        RingStepHooks.At(RingStep.ConsumerSkipping, provenEnd);
        skipTo = provenEnd;
        return true;
    }

    private bool TryReadIntent(int slot, out ulong intentEnd, out ulong intentReplaced)
    {
        ProducerSlot producer = _header.Slot(slot);

        // SYNC POINT acquire (each load), partner the producer's release stores of its intent (MultiProducerClaims.TryClaim:
        // end = 0, replaced, end): having seen its final end, we see the replaced stored before it.
        intentEnd = Volatile.Read(ref producer.IntentEnd);
        intentReplaced = Volatile.Read(ref producer.IntentReplaced);

        // A live producer may be rewriting its intent; a dead one's is stable. Re-reading IntentEnd rejects a torn pair.
        return intentEnd != 0 && Volatile.Read(ref producer.IntentEnd) == intentEnd;
    }

    /// <summary>True if the claim word ever held <paramref name="claimWord"/>, i.e. that claim succeeded.</summary>
    private bool WasInstalled(ulong claimWord)
    {
        // SYNC POINT acquire, partner the producers' CAS on the claim word.
        if (Volatile.Read(ref _header.ClaimWord) == claimWord)
        {
            return true;
        }

        for (int slot = 0; slot < RingLayout.ProducerSlotCount; slot++)
        {
            if (TryReadIntent(slot, out _, out ulong replaced) && replaced == claimWord)
            {
                return true;
            }
        }

        // The record claimed right after it (if committed) names the claim word it replaced.
        long next = (long)(claimWord & ~RingLayout.ClaimantIndexMask);
        return _data.IsCommitted(next) && _data.HeaderAt(next).ClaimedAfter == claimWord;
    }
}
