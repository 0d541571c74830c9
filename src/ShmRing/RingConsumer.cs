using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace ShmIpc.ShmRing;

/// <summary>
/// Reads records in place. <see cref="TryRead"/> (or the waiting <see cref="Read"/>) returns the next record with its
/// payload as a span over the mapped segment; <see cref="Release"/> gives its space back to the producers. Until then,
/// reading returns the same record again. One thread at a time.
/// </summary>
/// <example>
/// <code>
/// using var consumer = RingConsumer.Create("feed", options);
/// while (consumer.Read(out RingRecord record, TimeSpan.FromSeconds(1)) == RingReadStatus.Record)
/// {
///     Process(record.Payload);
///     consumer.Release();
/// }
/// </code>
/// </example>
public sealed class RingConsumer : IDisposable, IRingCounterSource
{
    private readonly RingSegment _segment;
    private readonly RingOptions _options;
    private readonly RingHeader _header;
    private readonly DataRegion _data;
    private readonly int _maxRecordSize;
    private readonly bool _multiProducer;
    private readonly ulong _owner;

    /// <summary>Position of the next record to read (the shared ConsumerPosition may lag it within a batch).</summary>
    private long _position;

    // The record handed out and not yet released (length 0 = none).
    private int _heldRecordLength;
    private int _heldPayloadLength;

    private long _messages;
    private long _bytes;
    private long _skippedRecords;
    private long _peerGoneEvents;
    private bool _disposed;

    private RingConsumer(RingSegment segment, RingOptions options)
    {
        _segment = segment;
        _options = options;
        _header = segment.Header;
        _data = segment.Data;
        _maxRecordSize = segment.MaxRecordSize;
        _multiProducer = segment.Kind == RingKind.MultiProducer;
        _owner = OwnerWord.Attached(ProcessIdentity.Current);

        ref ulong owner = ref _header.ConsumerOwner;
        OwnerWord.TakeRole(ref owner, _owner, segment.Name, "consumer");

        // SYNC POINT acquire, partner a predecessor consumer's release stores of ConsumerPosition (Release, ReadBatch).
        _position = Volatile.Read(ref _header.ConsumerPosition);
        if (_position < 0 || _position % RingLayout.RecordAlignment != 0)
        {
            // The segment is corrupt, not taken: give the role back before refusing.
            // SYNC POINT release, partner the acquire loads of the consumer owner word (producers, the next consumer).
            Volatile.Write(ref owner, OwnerWord.Detached(_owner));
            throw new RingException(RingError.Corrupted, segment.Name, $"consumer position {_position} is not a multiple of {RingLayout.RecordAlignment}");
        }

        // SYNC POINT release, partner the producers' acquire of ConsumerMaySleep (RingProducer.WakeConsumerIfSleeping).
        Volatile.Write(ref _header.ConsumerMaySleep, options.WaitStrategy == RingWaitStrategy.SpinThenBlock ? 1u : 0u);

        // Informational (no partner): a sign of life.
        Volatile.Write(ref _header.ConsumerHeartbeat, Stopwatch.GetTimestamp());
        RingMetrics.Register(this);
    }

    /// <summary>The ring's name, as passed to Create or Attach.</summary>
    public string Name => _segment.Name;

    /// <summary>Whether the ring has one producer or many, as stored in its header.</summary>
    public RingKind Kind => _segment.Kind;

    /// <summary>The largest payload the ring admits, in bytes, as stored in its header.</summary>
    public int MaxRecordSize => _maxRecordSize;

    /// <summary>What this consumer has read so far (plain fields of its own thread: read them from that thread or accept a slightly stale copy).</summary>
    public RingCounters Counters => new(_messages, _bytes, 0, _skippedRecords, _peerGoneEvents);

    string IRingCounterSource.Role => "consumer";

    /// <summary>Creates the segment (exclusively) and becomes its consumer.</summary>
    public static RingConsumer Create(string name, RingOptions options)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("ShmRing needs Linux (/dev/shm, futex)");
        }

        return Open(RingSegment.Create(name, options), options);
    }

    /// <summary>Attaches to an existing segment as its consumer; the options must match the segment's header.</summary>
    public static RingConsumer Attach(string name, RingOptions options)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("ShmRing needs Linux (/dev/shm, futex)");
        }

        return Open(RingSegment.Attach(name, options), options);
    }

    /// <summary>The next record if one is committed, without waiting. Its payload stays valid until <see cref="Release"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryRead(out RingRecord record)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (true)
        {
            RecordHeader header = _data.HeaderAt(_position);

            // One load of the record's own commit word (one cache-line transfer).
            // SYNC POINT acquire, partner DataRegion.Publish's release store of the tag: the header fields and payload
            // the producer wrote before it are visible after this load.
            if (Volatile.Read(ref header.CommitTag) != _data.CommitTagOf(_position))
            {
                record = default;
                return false;
            }

            int recordLength = (int)header.Length;
            int payloadLength = (int)header.PayloadLength;
            int recordType = header.Type;
            if (!_data.IsValidRecord(_position, recordLength, payloadLength, recordType, _maxRecordSize))
            {
                ThrowCorrupted(recordLength, payloadLength, recordType);
            }

            if (recordType == RingLayout.PaddingType)
            {
                // Padding (the rest of a lap, or an aborted MPSC claim): skip it and give its space back at once.
                _position += recordLength;

                // SYNC POINT release, partner the producers' acquire of ConsumerPosition (FreeSpace.IsAvailable).
                Volatile.Write(ref _header.ConsumerPosition, _position);
                continue;
            }

            _heldRecordLength = recordLength;
            _heldPayloadLength = payloadLength;
            record = new RingRecord(header.Payload(payloadLength), recordType);
            return true;
        }
    }

    /// <summary>
    /// The next record, waiting with the configured strategy: <see cref="RingReadStatus.TimedOut"/> after
    /// <paramref name="timeout"/> (<see cref="Timeout.InfiniteTimeSpan"/> waits forever), <see cref="RingReadStatus.PeerGone"/>
    /// once the ring is empty and every producer that attached has detached or is proven dead.
    /// </summary>
    public RingReadStatus Read(out RingRecord record, TimeSpan timeout)
    {
        if (TryRead(out record))
        {
            return RingReadStatus.Record;
        }

        var clock = new WaitClock(_options, timeout);
        for (int polls = 0; ; polls++)
        {
            if (TryRead(out record))
            {
                return RingReadStatus.Record;
            }

            // While spinning (always, for busy-spin), read the clock every 64 polls only: a poll is one load of a line
            // in our own cache, a clock read costs more.
            if ((polls & 63) != 0 && (clock.Spinning || _options.WaitStrategy == RingWaitStrategy.BusySpin))
            {
                continue;
            }

            clock.Update();
            if (clock.PeerCheckDue())
            {
                // The peer check reads slots, intents and records anywhere in the file: never past a truncated end.
                _segment.ThrowIfTruncated();

                // Informational (no partner): a sign of life.
                Volatile.Write(ref _header.ConsumerHeartbeat, clock.Now);
                if (ProducersGone())
                {
                    // A dead producer writes nothing more: one last look decides between data and peer-gone.
                    if (TryRead(out record))
                    {
                        return RingReadStatus.Record;
                    }

                    _peerGoneEvents++;
                    return RingReadStatus.PeerGone;
                }

                continue;
            }

            if (clock.TimedOut)
            {
                return RingReadStatus.TimedOut;
            }

            if (clock.Spinning || _options.WaitStrategy == RingWaitStrategy.BusySpin)
            {
                continue;
            }

            if (_options.WaitStrategy == RingWaitStrategy.SpinThenYield)
            {
                Thread.Yield();
            }
            else
            {
                Sleep(clock.SleepBudgetNanoseconds);
            }
        }
    }

    /// <summary>Gives the space of the record last returned back to the producers.</summary>
    /// <exception cref="InvalidOperationException">No record is held (none was read, or it was already released).</exception>
    /// <exception cref="ObjectDisposedException">The consumer was disposed (its mapping, and the payload with it, are gone).</exception>
    public void Release()
    {
        // Dispose clears the held record, so this one test also catches a release after Dispose.
        if (_heldRecordLength == 0)
        {
            ThrowNothingToRelease();
        }

        Advance();

        // SYNC POINT release, partner the producers' acquire of ConsumerPosition (FreeSpace.IsAvailable): our reads of
        // the payload happen before a producer may overwrite it.
        Volatile.Write(ref _header.ConsumerPosition, _position);
    }

    /// <summary>
    /// Hands up to <paramref name="maxRecords"/> available records to <paramref name="handler"/> without waiting, then
    /// releases them all with one store. Returns how many it handled.
    /// </summary>
    /// <remarks>
    /// If the handler throws, the records it was given are released, the one it threw on included (as Agrona's ring
    /// buffers do): that record counts as consumed and is not delivered again, so a record its handler cannot take
    /// does not stop the ring. The exception then propagates.
    /// </remarks>
    public int ReadBatch<THandler>(ref THandler handler, int maxRecords)
        where THandler : struct, IRingRecordHandler
    {
        int handled = 0;
        try
        {
            while (handled < maxRecords && TryRead(out RingRecord record))
            {
                // Consumed before the call (see remarks); its space is still ours until the release store below.
                Advance();
                handled++;
                handler.OnRecord(record);
            }
        }
        finally
        {
            if (handled != 0)
            {
                // SYNC POINT release, partner the producers' acquire of ConsumerPosition (FreeSpace.IsAvailable): the
                // handler's reads of every payload happen before a producer may overwrite it.
                Volatile.Write(ref _header.ConsumerPosition, _position);
            }
        }

        return handled;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;

        // The held record's payload goes with the mapping: Release now throws ObjectDisposedException.
        _heldRecordLength = 0;
        RingMetrics.Unregister(this);
        if (_segment.IsTruncated)
        {
            // Its header may be gone (a store there would fault): nothing to detach from.
            _segment.Dispose();
            return;
        }

        // SYNC POINT release, partner the producers' acquire of ConsumerMaySleep (RingProducer.WakeConsumerIfSleeping).
        Volatile.Write(ref _header.ConsumerMaySleep, 0);

        // SYNC POINT release, partner the producers' acquire of the consumer owner word (RingProducer.Claim's peer check).
        Volatile.Write(ref _header.ConsumerOwner, OwnerWord.Detached(_owner));
        _segment.Dispose();
    }

    private static RingConsumer Open(RingSegment segment, RingOptions options)
    {
        try
        {
            return new RingConsumer(segment, options);
        }
        catch
        {
            segment.Dispose();
            throw;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Advance()
    {
        _position += _heldRecordLength;
        _messages++;
        _bytes += _heldPayloadLength;
        _heldRecordLength = 0;
    }


    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowNothingToRelease()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        throw new InvalidOperationException("no record to release");
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowCorrupted(int recordLength, int payloadLength, int recordType)
        => throw new RingException(
            RingError.Corrupted,
            _segment.Name,
            $"record at position {_position} has length {recordLength}, payload length {payloadLength}, type {recordType}");

    /// <summary>Futex sleep: announce it, look once more, then sleep until a producer's commit (or the budget) wakes us.</summary>
    private void Sleep(long budgetNanoseconds)
    {
        ref int wakeWord = ref _header.WakeWord;

        // Exchange is a full fence: the announcement is visible before the re-check below (Dekker with the producer).
        // SYNC POINT full fence, partner RingProducer.WakeConsumerIfSleeping's fence before its load of the wake word.
        Interlocked.Exchange(ref wakeWord, 1);
        if (!_data.IsCommitted(_position) && budgetNanoseconds > 0)
        {
            _header.FutexWaitOnWakeWord(1, budgetNanoseconds);
        }

        // Woken by a producer (which already reset it), by a timeout, or never slept: no longer asleep.
        // SYNC POINT release, partner RingProducer.WakeConsumerIfSleeping's load of the wake word (no wake needed).
        Volatile.Write(ref wakeWord, 0);
    }

    /// <summary>
    /// True if no record can come any more: every producer that attached has detached or is proven dead. In an MPSC ring
    /// this is also where a dead producer's uncommitted claim is skipped.
    /// </summary>
    private bool ProducersGone()
    {
        if (!_multiProducer)
        {
            // SYNC POINT acquire, partner the producer's CAS at attach and its release store at detach.
            ulong owner = Volatile.Read(ref _header.Slot(0).Owner);
            return OwnerWord.EverAttached(owner) && !OwnerWord.IsLive(owner);
        }

        // SYNC POINT acquire, partner the producers' CAS on the claim word (MultiProducerClaims.TryClaim).
        long claimed = (long)(Volatile.Read(ref _header.ClaimWord) & ~RingLayout.ClaimantIndexMask);
        if (claimed > _position && _heldRecordLength == 0)
        {
            // Space at our position is claimed but not committed: its producer is writing, paused, or dead.
            if (new DeadClaimResolver(_header, _data).TryFindSkipTarget(_position, out long skipTo))
            {
                _position = skipTo;
                _skippedRecords++;

                // SYNC POINT release, partner the producers' acquire of ConsumerPosition (FreeSpace.IsAvailable).
                Volatile.Write(ref _header.ConsumerPosition, _position);
            }

            return false;
        }

        bool everAttached = false;
        for (int slot = 0; slot < RingLayout.ProducerSlotCount; slot++)
        {
            // SYNC POINT acquire, partner each producer's CAS at attach and its release store at detach.
            ulong owner = Volatile.Read(ref _header.Slot(slot).Owner);
            if (OwnerWord.IsLive(owner))
            {
                return false;
            }

            everAttached |= OwnerWord.EverAttached(owner);
        }

        return everAttached;
    }
}
