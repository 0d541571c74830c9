namespace ShmIpc.ShmRing;

/// <summary>
/// The MPSC claim protocol (docs/ring-layout.md, "MPSC protocol"): producers claim space with a CAS on the shared claim
/// word, announcing each claim in their slot first so that the consumer can skip the claim of a producer that died
/// before committing it (<see cref="DeadClaimResolver"/>). A record occupies the space claimed for its maximum.
/// <see cref="RingProducer"/> runs the shared part.
/// </summary>
internal sealed class MultiProducerClaims
{
    private readonly RingHeader _header;
    private readonly DataRegion _data;
    private readonly ulong _claimantIndex;
    private FreeSpace _freeSpace;

    // The open claim's footprint (a whole record for the claimed maximum) and the claim word its CAS replaced.
    private int _claimRecordLength;
    private ulong _claimReplaced;

    /// <summary>Takes a free producer slot for <paramref name="owner"/>.</summary>
    public MultiProducerClaims(RingSegment segment, ulong owner)
    {
        _header = segment.Header;
        _data = segment.Data;
        int slotIndex = TakeFreeSlot(segment.Name, owner);
        Slot = _header.Slot(slotIndex);
        _claimantIndex = (ulong)slotIndex + 1;
        _freeSpace = new FreeSpace(_header, _data.Capacity);
    }

    public ProducerSlot Slot { get; }

    /// <summary>
    /// Claims <paramref name="recordLength"/> bytes (a whole record), padding included in the same claim if the record
    /// would cross the end of the lap. Returns the record's position, or -1 if the consumer has not released enough.
    /// </summary>
    public long TryClaim(int recordLength)
    {
        ref ulong claimWord = ref _header.ClaimWord;
        ref ulong intentEnd = ref Slot.IntentEnd;
        ref ulong intentReplaced = ref Slot.IntentReplaced;
        while (true)
        {
            // SYNC POINT acquire, partner the other producers' CAS on the claim word below.
            ulong replaced = Volatile.Read(ref claimWord);
            long position = (long)(replaced & ~RingLayout.ClaimantIndexMask);
            long offset = _data.OffsetOf(position);
            int padding = _data.Capacity - offset < recordLength ? (int)(_data.Capacity - offset) : 0;
            int footprint = padding + recordLength;
            if (!_freeSpace.IsAvailable(position, footprint))
            {
                return -1;
            }

            // Intent before claim: should this process die right after the CAS, the consumer finds the claim's extent
            // here (IntentEnd cleared first, so a half-written intent is never read as a whole one).
            // SYNC POINT release (each store), partner DeadClaimResolver.TryReadIntent's acquire loads.
            ulong end = (ulong)(position + footprint) | _claimantIndex;
            Volatile.Write(ref intentEnd, 0);
            Volatile.Write(ref intentReplaced, replaced);
            Volatile.Write(ref intentEnd, end);
            RingStepHooks.At(RingStep.ProducerIntentStored, position);

            // SYNC POINT full fence (CAS), partner the acquire loads of the claim word (other producers above, the
            // consumer's ProducersGone and DeadClaimResolver): the intent is visible before the claim is.
            if (Interlocked.CompareExchange(ref claimWord, end, replaced) != replaced)
            {
                continue;
            }

            if (padding != 0)
            {
                _data.Publish(position, padding, 0, RingLayout.PaddingType, replaced);
                position += padding;
            }

            _claimRecordLength = recordLength;
            _claimReplaced = replaced;
            RingStepHooks.At(RingStep.ProducerClaimed, position);
            return position;
        }
    }

    /// <summary>Publishes the claimed record at <paramref name="position"/> over the whole claimed footprint.</summary>
    public void Commit(long position, int payloadLength, int recordType)
    {
        _data.Publish(position, _claimRecordLength, payloadLength, recordType, _claimReplaced);
        RingStepHooks.At(RingStep.ProducerCommitted, position);

        // After the commit (release order): the intent no longer describes an uncommitted claim.
        // SYNC POINT release, partner DeadClaimResolver.TryReadIntent and TakeFreeSlot's acquire loads.
        Volatile.Write(ref Slot.IntentEnd, 0);
    }

    /// <summary>Gives the claim up: its space is published as padding of the same length, which the consumer skips.</summary>
    public void Abort(long position)
    {
        _data.Publish(position, _claimRecordLength, 0, RingLayout.PaddingType, _claimReplaced);

        // SYNC POINT release, partner as in Commit.
        Volatile.Write(ref Slot.IntentEnd, 0);
    }

    private int TakeFreeSlot(string segmentName, ulong owner)
    {
        // SYNC POINT acquire, partner the consumer's release store of ConsumerPosition.
        long consumerPosition = Volatile.Read(ref _header.ConsumerPosition);
        for (int slotIndex = 0; slotIndex < RingLayout.ProducerSlotCount; slotIndex++)
        {
            ProducerSlot slot = _header.Slot(slotIndex);

            // SYNC POINT acquire, partner the owner's CAS at attach and its release store at detach.
            ulong current = Volatile.Read(ref slot.Owner);
            if (current != 0)
            {
                // A slot whose producer died with a claim the consumer has not yet passed keeps its intent: the
                // consumer needs it to skip that claim.
                // SYNC POINT acquire, partner the intent's release stores in TryClaim and Commit.
                ulong intentEnd = Volatile.Read(ref slot.IntentEnd);
                bool intentPending = intentEnd != 0 && (long)(intentEnd & ~RingLayout.ClaimantIndexMask) > consumerPosition;
                if (intentPending || OwnerWord.IsLive(current))
                {
                    continue;
                }
            }

            // SYNC POINT full fence (CAS), partner the acquire loads of owner words (the consumer, other producers).
            if (Interlocked.CompareExchange(ref slot.Owner, owner, current) == current)
            {
                Volatile.Write(ref slot.IntentEnd, 0);
                return slotIndex;
            }
        }

        throw new RingException(RingError.RoleTaken, segmentName, $"all {RingLayout.ProducerSlotCount} producer slots are held");
    }
}
