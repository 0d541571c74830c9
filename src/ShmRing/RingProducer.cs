using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace ShmIpc.ShmRing;

/// <summary>
/// Writes records into a ring. Zero-copy: <see cref="TryClaim"/> hands out a span inside the mapped segment, the caller
/// writes (or encodes) into it and <see cref="Commit"/>s the length it wrote. One thread at a time per producer; in an
/// MPSC ring each producer process (or thread) opens its own <see cref="RingProducer"/>.
/// </summary>
/// <example>
/// <code>
/// using var producer = RingProducer.Attach("feed", options);
/// if (producer.TryClaim(16384, out Span&lt;byte&gt; destination))
/// {
///     int written = codec.Encode(snapshot, destination);
///     producer.Commit(written);
/// }
/// </code>
/// </example>
public sealed class RingProducer : IDisposable, IRingCounterSource
{
    private readonly RingSegment _segment;
    private readonly MappedFile _file;
    private readonly RingOptions _options;
    private readonly long _capacity;
    private readonly long _mask;
    private readonly ulong _tagKey;
    private readonly bool _multiProducer;
    private readonly int _slotOffset;
    private readonly ulong _claimantIndex;
    private readonly ulong _owner;

    /// <summary>SPSC: the next record position (bytes ever written). MPSC: unused (the claim word is shared).</summary>
    private long _position;
    private long _cachedConsumerPosition;

    // The outstanding claim: record position (-1 = none), largest payload, MPSC footprint and claim words.
    private long _claimPosition = -1;
    private int _claimMaxLength;
    private int _claimRecordLength;
    private ulong _claimReplaced;

    private long _messages;
    private long _bytes;
    private long _fullEvents;
    private long _peerGoneEvents;
    private bool _disposed;

    private RingProducer(RingSegment segment, RingOptions options)
    {
        _segment = segment;
        _file = segment.File;
        _options = options;
        _capacity = segment.Capacity;
        _mask = segment.Capacity - 1;
        _tagKey = segment.TagKey;
        MaxRecordSize = segment.MaxRecordSize;
        _multiProducer = segment.Kind == RingKind.MultiProducer;
        _owner = OwnerWord.Attached(ProcessIdentity.Current);
        int slotIndex = _multiProducer ? TakeFreeSlot() : TakeSingleProducerSlot();
        _slotOffset = RingLayout.SlotOffset(slotIndex);
        _claimantIndex = (ulong)slotIndex + 1;
        _cachedConsumerPosition = Volatile.Read(ref _file.At<long>(RingLayout.ConsumerPositionOffset));
        if (!_multiProducer)
        {
            _position = RecoverSingleProducerPosition();
        }

        Volatile.Write(ref _file.At<long>(_slotOffset + RingLayout.SlotHeartbeatOffset), Stopwatch.GetTimestamp());
        RingMetrics.Register(this);
    }

    public string Name => _segment.Name;

    public RingKind Kind => _segment.Kind;

    public int MaxRecordSize { get; }

    public RingCounters Counters => new(_messages, _bytes, _fullEvents, 0, _peerGoneEvents);

    string IRingCounterSource.Role => "producer";

    /// <summary>Creates the segment (exclusively) and becomes its producer.</summary>
    public static RingProducer Create(string name, RingOptions options)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("ShmRing needs Linux (/dev/shm, futex)");
        }

        return Open(RingSegment.Create(name, options), options);
    }

    /// <summary>Attaches to an existing segment as a producer; the options must match the segment's header.</summary>
    public static RingProducer Attach(string name, RingOptions options)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("ShmRing needs Linux (/dev/shm, futex)");
        }

        return Open(RingSegment.Attach(name, options), options);
    }

    /// <summary>
    /// Claims space for a payload of up to <paramref name="maxLength"/> bytes without waiting. False (and a full event
    /// counted) if the ring has no room; unread data is never overwritten.
    /// </summary>
    public bool TryClaim(int maxLength, out Span<byte> destination)
    {
        if (TryClaimCore(maxLength, out destination))
        {
            return true;
        }

        _fullEvents++;
        return false;
    }

    /// <summary>
    /// Claims space, waiting for the consumer to make room: <see cref="RingWriteStatus.TimedOut"/> after
    /// <paramref name="timeout"/> (<see cref="Timeout.InfiniteTimeSpan"/> waits forever),
    /// <see cref="RingWriteStatus.PeerGone"/> once the consumer is proven dead or has detached.
    /// </summary>
    public RingWriteStatus Claim(int maxLength, TimeSpan timeout, out Span<byte> destination)
    {
        if (TryClaimCore(maxLength, out destination))
        {
            return RingWriteStatus.Success;
        }

        _fullEvents++;
        var clock = new WaitClock(_options, timeout);
        for (int polls = 1; ; polls++)
        {
            if (TryClaimCore(maxLength, out destination))
            {
                return RingWriteStatus.Success;
            }

            clock.Update();
            if (clock.PeerCheckDue())
            {
                Volatile.Write(ref _file.At<long>(_slotOffset + RingLayout.SlotHeartbeatOffset), clock.Now);
                ulong consumer = Volatile.Read(ref _file.At<ulong>(RingLayout.ConsumerOwnerOffset));
                if (OwnerWord.EverAttached(consumer) && !OwnerWord.IsLive(consumer))
                {
                    // Proven gone; a last look in case it released space before exiting.
                    if (TryClaimCore(maxLength, out destination))
                    {
                        return RingWriteStatus.Success;
                    }

                    _peerGoneEvents++;
                    return RingWriteStatus.PeerGone;
                }
            }

            if (clock.TimedOut)
            {
                return RingWriteStatus.TimedOut;
            }

            if (!clock.Spinning && _options.WaitStrategy != RingWaitStrategy.BusySpin)
            {
                // Producers do not sleep on a futex (the consumer does not wake them): yield, then back off to 1 ms.
                if (_options.WaitStrategy == RingWaitStrategy.SpinThenBlock && polls > 10_000)
                {
                    Thread.Sleep(1);
                }
                else
                {
                    Thread.Yield();
                }
            }
        }
    }

    /// <summary>
    /// Publishes the claimed record with <paramref name="length"/> bytes of payload (at most the claimed maximum) and a
    /// non-negative <paramref name="recordType"/> the consumer sees as <see cref="RingRecord.Type"/>.
    /// </summary>
    public void Commit(int length, int recordType = 0)
    {
        long position = _claimPosition;
        if (position < 0)
        {
            throw new InvalidOperationException("Commit without a claim");
        }

        if ((uint)length > (uint)_claimMaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"committed length must be 0 to the claimed {_claimMaxLength}");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(recordType);
        int recordLength = _multiProducer ? _claimRecordLength : RingLayout.RecordLength(length);
        Publish(position, recordLength, length, recordType, _claimReplaced);
        _claimPosition = -1;
        if (_multiProducer)
        {
            // After the commit (release order): the intent no longer describes an uncommitted claim.
            Volatile.Write(ref _file.At<ulong>(_slotOffset + RingLayout.SlotIntentEndOffset), 0);
        }
        else
        {
            _position = position + recordLength;
            Volatile.Write(ref _file.At<long>(RingLayout.ProducerPositionOffset), _position);
        }

        _messages++;
        _bytes += length;
        if ((_messages & 1023) == 0)
        {
            Volatile.Write(ref _file.At<long>(_slotOffset + RingLayout.SlotHeartbeatOffset), Stopwatch.GetTimestamp());
        }

        WakeConsumerIfSleeping();
    }

    /// <summary>Gives up the outstanding claim: nothing is delivered (MPSC publishes the space as padding).</summary>
    public void Abort()
    {
        long position = _claimPosition;
        if (position < 0)
        {
            return;
        }

        _claimPosition = -1;
        if (_multiProducer)
        {
            Publish(position, _claimRecordLength, 0, RingLayout.PaddingType, _claimReplaced);
            Volatile.Write(ref _file.At<ulong>(_slotOffset + RingLayout.SlotIntentEndOffset), 0);
            WakeConsumerIfSleeping();
        }
    }

    /// <summary>Copies <paramref name="payload"/> into the ring if there is room now (else false and a full event).</summary>
    public bool TryWrite(ReadOnlySpan<byte> payload, int recordType = 0)
    {
        if (!TryClaim(payload.Length, out Span<byte> destination))
        {
            return false;
        }

        payload.CopyTo(destination);
        Commit(payload.Length, recordType);
        return true;
    }

    /// <summary>Copies <paramref name="payload"/> into the ring, waiting for room as <see cref="Claim"/> does.</summary>
    public RingWriteStatus Write(ReadOnlySpan<byte> payload, TimeSpan timeout, int recordType = 0)
    {
        RingWriteStatus status = Claim(payload.Length, timeout, out Span<byte> destination);
        if (status == RingWriteStatus.Success)
        {
            payload.CopyTo(destination);
            Commit(payload.Length, recordType);
        }

        return status;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Abort();
        RingMetrics.Unregister(this);

        // Detach cleanly (the consumer reports peer-gone once the ring is drained), and wake a sleeping consumer to see it.
        Volatile.Write(ref _file.At<ulong>(_slotOffset + RingLayout.SlotOwnerOffset), OwnerWord.Detached(_owner));
        if (Interlocked.Exchange(ref _file.At<int>(RingLayout.WakeWordOffset), 0) != 0)
        {
            _file.FutexWake(RingLayout.WakeWordOffset);
        }

        _segment.Dispose();
    }

    private static RingProducer Open(RingSegment segment, RingOptions options)
    {
        try
        {
            return new RingProducer(segment, options);
        }
        catch
        {
            segment.Dispose();
            throw;
        }
    }

    private bool TryClaimCore(int maxLength, out Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_claimPosition >= 0)
        {
            throw new InvalidOperationException("a claim is outstanding: Commit or Abort it first");
        }

        if ((uint)maxLength > (uint)MaxRecordSize)
        {
            throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, $"record length must be 0 to the ring's max record size {MaxRecordSize}");
        }

        int recordLength = RingLayout.RecordLength(maxLength);
        return _multiProducer
            ? TryClaimMultiProducer(maxLength, recordLength, out destination)
            : TryClaimSingleProducer(maxLength, recordLength, out destination);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryClaimSingleProducer(int maxLength, int recordLength, out Span<byte> destination)
    {
        long position = _position;
        long offset = position & _mask;

        // A record never straddles the end: if it does not fit, a padding record fills the rest of this lap.
        int padding = _capacity - offset < recordLength ? (int)(_capacity - offset) : 0;
        if (!HasSpace(position, padding + recordLength))
        {
            destination = default;
            return false;
        }

        if (padding != 0)
        {
            Publish(position, padding, 0, RingLayout.PaddingType, 0);
            position += padding;
            _position = position;
            Volatile.Write(ref _file.At<long>(RingLayout.ProducerPositionOffset), position);
        }

        // Claiming is local (plain fields): nothing is visible to the consumer until Commit's release store.
        _claimPosition = position;
        _claimMaxLength = maxLength;
        destination = _file.Span(RingLayout.DataOffset + (position & _mask) + RingLayout.RecordHeaderLength, maxLength);
        return true;
    }

    private bool TryClaimMultiProducer(int maxLength, int recordLength, out Span<byte> destination)
    {
        ref ulong claimWord = ref _file.At<ulong>(RingLayout.ProducerPositionOffset);
        ref ulong intentEnd = ref _file.At<ulong>(_slotOffset + RingLayout.SlotIntentEndOffset);
        ref ulong intentReplaced = ref _file.At<ulong>(_slotOffset + RingLayout.SlotIntentReplacedOffset);
        while (true)
        {
            ulong replaced = Volatile.Read(ref claimWord);
            long position = (long)(replaced & ~RingLayout.ClaimantIndexMask);
            long offset = position & _mask;
            int padding = _capacity - offset < recordLength ? (int)(_capacity - offset) : 0;
            int footprint = padding + recordLength;
            if (!HasSpace(position, footprint))
            {
                destination = default;
                return false;
            }

            // Intent before claim: should this process die right after the CAS, the consumer finds the claim's extent
            // here (IntentEnd cleared first, so a half-written intent is never read as a whole one).
            ulong end = (ulong)(position + footprint) | _claimantIndex;
            Volatile.Write(ref intentEnd, 0);
            Volatile.Write(ref intentReplaced, replaced);
            Volatile.Write(ref intentEnd, end);

            // Full fence: the intent is visible before the claim is.
            if (Interlocked.CompareExchange(ref claimWord, end, replaced) != replaced)
            {
                continue;
            }

            if (padding != 0)
            {
                Publish(position, padding, 0, RingLayout.PaddingType, replaced);
                position += padding;
            }

            _claimPosition = position;
            _claimMaxLength = maxLength;
            _claimRecordLength = recordLength;
            _claimReplaced = replaced;
            destination = _file.Span(RingLayout.DataOffset + (position & _mask) + RingLayout.RecordHeaderLength, maxLength);
            return true;
        }
    }

    /// <summary>True if <paramref name="length"/> bytes from <paramref name="position"/> are free (released by the consumer).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool HasSpace(long position, int length)
    {
        if (position + length - _cachedConsumerPosition <= _capacity)
        {
            return true;
        }

        // Acquire: the consumer's reads of what it released happened before its release store of ConsumerPosition.
        _cachedConsumerPosition = Volatile.Read(ref _file.At<long>(RingLayout.ConsumerPositionOffset));
        Volatile.Write(ref _file.At<long>(RingLayout.CachedConsumerPositionOffset), _cachedConsumerPosition);
        return position + length - _cachedConsumerPosition <= _capacity;
    }

    /// <summary>Writes a record header and publishes it: the commit tag is release-stored last.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Publish(long position, int recordLength, int payloadLength, int recordType, ulong claimedAfter)
    {
        long header = RingLayout.DataOffset + (position & _mask);
        _file.At<uint>(header + RingLayout.RecordLengthOffset) = (uint)recordLength;
        _file.At<uint>(header + RingLayout.RecordPayloadLengthOffset) = (uint)payloadLength;
        _file.At<int>(header + RingLayout.RecordTypeOffset) = recordType;
        _file.At<ulong>(header + RingLayout.RecordClaimedAfterOffset) = claimedAfter;

        // Release: the payload and the header fields above are visible before the tag that publishes them.
        Volatile.Write(ref _file.At<ulong>(header + RingLayout.RecordCommitOffset), RingLayout.CommitTag(position, _tagKey));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WakeConsumerIfSleeping()
    {
        // Only a consumer that may sleep costs the producer a fence; a spinning consumer costs nothing here.
        if (Volatile.Read(ref _file.At<uint>(RingLayout.ConsumerMaySleepOffset)) == 0)
        {
            return;
        }

        // Store-load fence (Dekker with the consumer): our commit store before our read of the wake word, as the
        // consumer's exchange of the wake word is before its re-check of the record. One of us sees the other.
        Interlocked.MemoryBarrier();
        ref int wakeWord = ref _file.At<int>(RingLayout.WakeWordOffset);
        if (Volatile.Read(ref wakeWord) != 0 && Interlocked.Exchange(ref wakeWord, 0) != 0)
        {
            _file.FutexWake(RingLayout.WakeWordOffset);
        }
    }

    private int TakeSingleProducerSlot()
    {
        ref ulong owner = ref _file.At<ulong>(RingLayout.SlotOffset(0) + RingLayout.SlotOwnerOffset);
        ulong current = Volatile.Read(ref owner);
        if (OwnerWord.IsLive(current))
        {
            throw new RingException(RingError.RoleTaken, _segment.Name, $"the producer role is held by live pid {OwnerWord.Pid(current)}");
        }

        if (Interlocked.CompareExchange(ref owner, _owner, current) != current)
        {
            throw new RingException(RingError.RoleTaken, _segment.Name, "another producer attached at the same moment");
        }

        return 0;
    }

    private int TakeFreeSlot()
    {
        long consumerPosition = Volatile.Read(ref _file.At<long>(RingLayout.ConsumerPositionOffset));
        for (int slot = 0; slot < RingLayout.ProducerSlotCount; slot++)
        {
            int slotOffset = RingLayout.SlotOffset(slot);
            ref ulong owner = ref _file.At<ulong>(slotOffset + RingLayout.SlotOwnerOffset);
            ulong current = Volatile.Read(ref owner);
            if (current != 0)
            {
                // A slot whose producer died with a claim the consumer has not yet passed keeps its intent: the
                // consumer needs it to skip that claim.
                ulong intentEnd = Volatile.Read(ref _file.At<ulong>(slotOffset + RingLayout.SlotIntentEndOffset));
                bool intentPending = intentEnd != 0 && (long)(intentEnd & ~RingLayout.ClaimantIndexMask) > consumerPosition;
                if (intentPending || OwnerWord.IsLive(current))
                {
                    continue;
                }
            }

            if (Interlocked.CompareExchange(ref owner, _owner, current) == current)
            {
                Volatile.Write(ref _file.At<ulong>(slotOffset + RingLayout.SlotIntentEndOffset), 0);
                return slot;
            }
        }

        throw new RingException(RingError.RoleTaken, _segment.Name, $"all {RingLayout.ProducerSlotCount} producer slots are held");
    }

    /// <summary>
    /// Where an SPSC producer continues after a predecessor: the published position, plus a record it may have
    /// committed without publishing the position (it died between the two stores).
    /// </summary>
    private long RecoverSingleProducerPosition()
    {
        long position = Volatile.Read(ref _file.At<long>(RingLayout.ProducerPositionOffset));
        for (int scanned = 0; scanned < 2; scanned++)
        {
            long header = RingLayout.DataOffset + (position & _mask);
            if (Volatile.Read(ref _file.At<ulong>(header + RingLayout.RecordCommitOffset)) != RingLayout.CommitTag(position, _tagKey))
            {
                break;
            }

            uint recordLength = _file.At<uint>(header + RingLayout.RecordLengthOffset);
            if (recordLength < RingLayout.RecordHeaderLength || recordLength % RingLayout.RecordAlignment != 0 || (position & _mask) + recordLength > _capacity)
            {
                throw new RingException(RingError.Corrupted, _segment.Name, $"record at position {position} has length {recordLength}");
            }

            position += recordLength;
        }

        Volatile.Write(ref _file.At<long>(RingLayout.ProducerPositionOffset), position);
        return position;
    }
}
