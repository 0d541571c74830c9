using System.Runtime.CompilerServices;

namespace ShmIpc.ShmRing.Broadcast;

/// <summary>
/// The broadcast claim protocol (docs/ring-layout.md, "Broadcast"): one producer, so claiming is local, as in SPSC;
/// what differs is who may be overwritten. Before writing any byte of a claim the producer raises TailIntent past it
/// (a full fence); lossy, that is all (a consumer still reading there sees the raise and knows its record is gone);
/// lossless, it then waits until every live consumer has released what the claim overwrites. Records carry a
/// sequence number so a lapped consumer can count exactly what it missed. <see cref="RingProducer"/> runs the rest.
/// </summary>
internal sealed class BroadcastClaims
{
    private readonly BroadcastHeader _header;
    private readonly DataRegion _data;
    private readonly string _segmentName;
    private readonly bool _lossless;

    private long _position;
    private long _intent;
    private long _head;
    private long _sequence;

    /// <summary>Lossless: the lowest cursor of a live consumer at the last scan (a lower bound of the true one).</summary>
    private long _slowestCursor;

    /// <summary>Lossless: <see cref="BroadcastHeader.Joins"/> at the last scan (a scan sees every consumer positioned before it).</summary>
    private long _joinsScanned;

    public BroadcastClaims(RingSegment segment, ulong owner)
    {
        _header = new BroadcastHeader(segment.Header.File);
        _data = segment.Data;
        _segmentName = segment.Name;
        _lossless = _header.Policy == (uint)SlowConsumerPolicy.Lossless;
        Slot = _header.ProducerSlot;
        OwnerWord.TakeRole(ref Slot.Owner, owner, _segmentName, "producer");

        // SYNC POINT acquire, partner a predecessor producer's release stores (Commit).
        _position = Volatile.Read(ref _header.Tail);
        _intent = Math.Max(_position, Volatile.Read(ref _header.TailIntent));
        _head = Volatile.Read(ref _header.Head);
        long latest = Volatile.Read(ref _header.Latest);
        _sequence = _position == 0 ? 0 : (long)_data.HeaderAt(latest).Sequence;
        _slowestCursor = ScanSlowestCursor();
    }

    public ProducerSlot Slot { get; }

    /// <summary>
    /// Claims <paramref name="recordLength"/> bytes, padding the rest of the lap first if the record would cross its
    /// end. Returns the record's position, or -1 (lossless only) if a live consumer has not released what the claim
    /// would overwrite.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long TryClaim(int recordLength)
    {
        long position = _position;
        long offset = _data.OffsetOf(position);
        int padding = _data.Capacity - offset < recordLength ? (int)(_data.Capacity - offset) : 0;
        long end = position + padding + recordLength;
        if (_lossless && end - _data.Capacity > _slowestCursor)
        {
            _slowestCursor = ScanSlowestCursor();
            if (end - _data.Capacity > _slowestCursor)
            {
                return -1;
            }
        }

        if (end > _intent)
        {
            // The oldest intact record moves past what the claim overwrites (our own old headers, not yet touched).
            while (_head < end - _data.Capacity)
            {
                uint length = _data.HeaderAt(_head).Length;
                if (length < RingLayout.RecordHeaderLength || length % RingLayout.RecordAlignment != 0)
                {
                    throw new RingException(RingError.Corrupted, _segmentName, $"record at position {_head} has length {length}");
                }

                _head += length;
            }

            // Informational for joiners, who check it against TailIntent themselves.
            Volatile.Write(ref _header.Head, _head);
            _intent = end;

            // SYNC POINT full fence, partner the consumers' load of TailIntent after reading a record
            // (BroadcastConsumer.IsIntact) and a joiner's after publishing its cursor: the raise is visible before any
            // byte of the claim is written.
            Interlocked.Exchange(ref _header.TailIntent, end);
            // SYNC POINT acquire after the fence above, partner a joiner's increment of Joins after it published its
            // cursor (BroadcastConsumer.Position): a joiner we do not see here sees our raise and starts later.
            if (_lossless && Volatile.Read(ref _header.Joins) != _joinsScanned)
            {
                _slowestCursor = ScanSlowestCursor();
                if (end - _data.Capacity > _slowestCursor)
                {
                    return -1;
                }
            }
        }

        if (padding != 0)
        {
            WriteHeader(position, padding, 0, RingLayout.PaddingType, 0);
            position += padding;
            _position = position;

            // SYNC POINT release, partner the consumers' acquire of Tail: the padding is visible before the tail.
            Volatile.Write(ref _header.Tail, position);
        }

        return position;
    }

    /// <summary>Publishes the claimed record at <paramref name="position"/>; it occupies only what the payload needs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Commit(long position, int payloadLength, int recordType)
    {
        int recordLength = RingLayout.RecordLength(payloadLength);
        WriteHeader(position, recordLength, payloadLength, recordType, ++_sequence);
        _position = position + recordLength;
        Volatile.Write(ref _header.Latest, position);

        // SYNC POINT release, partner the consumers' acquire of Tail (BroadcastConsumer.TryRead, on a tag that does not
        // match, to tell "not yet" from "lapped"; Join): the record and Latest are visible before the tail that covers them.
        Volatile.Write(ref _header.Tail, _position);
    }

    /// <summary>Lossless, while waiting: frees the slots of consumers proven dead, so they hold nobody back.</summary>
    public void ReclaimDeadConsumers()
    {
        for (int index = 0; index < BroadcastLayout.ConsumerSlotCount; index++)
        {
            ConsumerSlot slot = _header.Consumer(index);

            // SYNC POINT acquire, partner the consumer's CAS at join and its release store at leave.
            ulong owner = Volatile.Read(ref slot.Owner);
            if (OwnerWord.Pid(owner) > 0 && !OwnerWord.IsLive(owner))
            {
                // SYNC POINT full fence (CAS), partner a joiner's acquire of the owner word (BroadcastConsumer.Join).
                Interlocked.CompareExchange(ref slot.Owner, OwnerWord.Detached(owner), owner);

                // Its count among the consumers that may sleep, or every commit would keep paying a fence for it.
                slot.ForgetSleeper(OwnerWord.Pid(owner), ref _header.ConsumersMaySleep);
            }
        }

        _slowestCursor = ScanSlowestCursor();
    }

    // An aborted claim published nothing (a padding record it wrote is not covered by Tail): the next claim reuses the
    // space. TailIntent stays raised: conservative, it only makes consumers think a little more is overwritten.

    private void WriteHeader(long position, int recordLength, int payloadLength, int recordType, long sequence)
    {
        RecordHeader header = _data.HeaderAt(position);
        header.Length = (uint)recordLength;
        header.PayloadLength = (uint)payloadLength;
        header.Type = recordType;
        header.Sequence = (ulong)sequence;

        // SYNC POINT release, partner the consumer's acquire of the tag at its position (BroadcastConsumer.TryRead):
        // the header fields and payload are visible before the tag that says they are this lap's record.
        Volatile.Write(ref header.CommitTag, _data.CommitTagOf(position));
    }

    /// <summary>The lowest released position of a consumer that is attached and positioned (dead ones included until reclaimed).</summary>
    private long ScanSlowestCursor()
    {
        // SYNC POINT acquire, partner the joiners' increments: each joiner counted here published its cursor before.
        _joinsScanned = Volatile.Read(ref _header.Joins);
        long slowest = long.MaxValue;
        for (int index = 0; index < BroadcastLayout.ConsumerSlotCount; index++)
        {
            ConsumerSlot slot = _header.Consumer(index);

            // SYNC POINT acquire, partner the consumer's release store of its cursor (BroadcastConsumer.Release): its
            // reads of what it released happened before, so the space is ours to overwrite.
            if (OwnerWord.Pid(Volatile.Read(ref slot.Owner)) > 0)
            {
                slowest = Math.Min(slowest, Volatile.Read(ref slot.Cursor));
            }
        }

        return slowest;
    }

}
