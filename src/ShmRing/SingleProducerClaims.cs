using System.Runtime.CompilerServices;

namespace ShmIpc.ShmRing;

/// <summary>
/// The SPSC claim protocol (docs/ring-layout.md, "SPSC protocol"): one producer, so claiming is local. The producer
/// keeps the next position in a plain field and publishes it with a release store after each commit; nothing is
/// visible to the consumer before a record's commit tag. <see cref="RingProducer"/> runs the shared part.
/// </summary>
internal sealed class SingleProducerClaims
{
    private readonly RingHeader _header;
    private readonly DataRegion _data;
    private readonly string _segmentName;
    private FreeSpace _freeSpace;

    /// <summary>The next record position (bytes ever written).</summary>
    private long _position;

    /// <summary>Takes the producer role (slot 0) for <paramref name="owner"/> and continues where a predecessor stopped.</summary>
    public SingleProducerClaims(RingSegment segment, ulong owner)
    {
        _header = segment.Header;
        _data = segment.Data;
        _segmentName = segment.Name;
        Slot = _header.Slot(0);
        OwnerWord.TakeRole(ref Slot.Owner, owner, _segmentName, "producer");
        _freeSpace = new FreeSpace(_header, _data.Capacity);
        try
        {
            _position = RecoverPosition();
        }
        catch (RingException)
        {
            // The segment is corrupt, not taken: give the role back before refusing.
            // SYNC POINT release, partner the acquire loads of this owner word (the consumer, the next producer).
            Volatile.Write(ref Slot.Owner, OwnerWord.Detached(owner));
            throw;
        }
    }

    public ProducerSlot Slot { get; }

    /// <summary>
    /// Claims <paramref name="recordLength"/> bytes (a whole record), first padding the rest of the lap if the record
    /// would cross its end. Returns the record's position, or -1 if the consumer has not released enough (a return
    /// value, not an out parameter: the position stays in a register).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long TryClaim(int recordLength)
    {
        long position = _position;
        long offset = _data.OffsetOf(position);

        // A record never straddles the end: if it does not fit, a padding record fills the rest of this lap.
        int padding = _data.Capacity - offset < recordLength ? (int)(_data.Capacity - offset) : 0;
        if (!_freeSpace.IsAvailable(position, padding + recordLength))
        {
            return -1;
        }

        if (padding != 0)
        {
            _data.Publish(position, padding, 0, RingLayout.PaddingType, 0);
            position += padding;
            _position = position;

            // SYNC POINT release, partner a successor producer's acquire in RecoverPosition.
            Volatile.Write(ref _header.ProducerPosition, position);
        }

        // Claiming is local (plain fields): nothing is visible to the consumer until Commit's release store.
        RingStepHooks.At(RingStep.ProducerClaimed, position);
        return position;
    }

    /// <summary>Publishes the claimed record at <paramref name="position"/>; it occupies only what the payload needs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Commit(long position, int payloadLength, int recordType)
    {
        int recordLength = RingLayout.RecordLength(payloadLength);
        _data.Publish(position, recordLength, payloadLength, recordType, 0);
        RingStepHooks.At(RingStep.ProducerCommitted, position);
        _position = position + recordLength;

        // SYNC POINT release, partner a successor producer's acquire in RecoverPosition (the consumer follows the
        // tags, not this word).
        Volatile.Write(ref _header.ProducerPosition, _position);
    }

    // An aborted SPSC claim published nothing and moved no shared position: the next claim simply reuses the space.


    /// <summary>
    /// Where an SPSC producer continues after a predecessor: the published position, plus a record it may have
    /// committed without publishing the position (it died between the two stores).
    /// </summary>
    private long RecoverPosition()
    {
        // SYNC POINT acquire, partner the predecessor's release stores of ProducerPosition (TryClaim, Commit).
        long position = Volatile.Read(ref _header.ProducerPosition);
        if (position < 0 || position % RingLayout.RecordAlignment != 0)
        {
            throw new RingException(RingError.Corrupted, _segmentName, $"producer position {position} is not a multiple of {RingLayout.RecordAlignment}");
        }

        for (int scanned = 0; scanned < 2; scanned++)
        {
            if (!_data.IsCommitted(position))
            {
                break;
            }

            uint recordLength = _data.HeaderAt(position).Length;
            if (recordLength < RingLayout.RecordHeaderLength || recordLength % RingLayout.RecordAlignment != 0 || _data.OffsetOf(position) + recordLength > _data.Capacity)
            {
                throw new RingException(RingError.Corrupted, _segmentName, $"record at position {position} has length {recordLength}");
            }

            position += recordLength;
        }

        // SYNC POINT release, partner the next successor's acquire above.
        Volatile.Write(ref _header.ProducerPosition, position);
        return position;
    }
}
