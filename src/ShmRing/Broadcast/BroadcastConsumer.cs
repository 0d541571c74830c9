using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace ShmIpc.ShmRing.Broadcast;

/// <summary>
/// One of up to <see cref="MaxConsumers"/> readers of a broadcast ring (<see cref="RingKind.Broadcast"/>): each sees
/// every record, in place, at its own pace; consumers join and leave at any time. <see cref="TryRead"/> (or the
/// waiting <see cref="Read"/>) returns the next record; <see cref="Release"/> moves on and says whether what was read
/// is still intact. In a lossy ring a consumer that falls a lap behind resynchronises on the newest record and counts
/// exactly how many it missed (<see cref="MissedRecords"/>); in a lossless one the producer waits for it. One thread at
/// a time. The producer is a <see cref="RingProducer"/> on the same segment.
/// </summary>
/// <example>
/// <code>
/// using var consumer = BroadcastConsumer.Join("quotes", options, BroadcastStart.Newest);
/// while (consumer.Read(out RingRecord record, TimeSpan.FromSeconds(1)) != RingReadStatus.PeerGone)
/// {
///     if (record.Payload.IsEmpty) continue;       // timed out
///     var digest = codec.ReadEveryField(record.Payload);
///     if (!consumer.Release()) continue;           // overwritten while we read it: discard what we read
///     Act(digest);
/// }
/// </code>
/// </example>
public sealed class BroadcastConsumer : IDisposable, IRingCounterSource
{
    private readonly RingSegment _segment;
    private readonly RingOptions _options;
    private readonly BroadcastHeader _header;
    private readonly DataRegion _data;
    private readonly ConsumerSlot _slot;
    private readonly ulong _owner;
    private readonly bool _lossy;
    private readonly bool _maySleep;

    /// <summary>Position of the next record (of the held one, while one is held).</summary>
    private long _position;

    // The record handed out and not yet released (length 0 = none).
    private int _heldRecordLength;
    private int _heldPayloadLength;
    private int _heldType;

    /// <summary>The sequence number the next record should have (0 = not known: count from the first one handed out).</summary>
    private long _expectedSequence;

    private long _messages;
    private long _bytes;
    private long _missed;
    private long _peerGoneEvents;
    private bool _disposed;

    private BroadcastConsumer(RingSegment segment, RingOptions options, BroadcastStart start)
    {
        _segment = segment;
        _options = options;
        _header = new BroadcastHeader(segment.Header.File);
        _data = segment.Data;
        _lossy = options.SlowConsumer == SlowConsumerPolicy.Lossy;
        _maySleep = options.WaitStrategy == RingWaitStrategy.SpinThenBlock;
        _owner = OwnerWord.Attached(ProcessIdentity.Current);
        _slot = TakeSlot();
        _position = Position(start);
        if (_maySleep)
        {
            // SYNC POINT full fence, partner the producer's acquire of the count (RingProducer.WakeConsumerIfSleeping).
            Interlocked.Increment(ref _header.ConsumersMaySleep);

            // SYNC POINT release, partner ConsumerSlot.ForgetSleeper's CAS: whoever reclaims this slot after our death
            // takes the count back. (Killed between the two, the count stays one high: a fence per commit, no harm.)
            Volatile.Write(ref _slot.SleeperPid, OwnerWord.Pid(_owner));
        }

        // Informational (no partner): a sign of life.
        Volatile.Write(ref _slot.Heartbeat, Stopwatch.GetTimestamp());
        RingMetrics.Register(this);
    }

    /// <summary>How many consumers a broadcast ring admits at once.</summary>
    public static int MaxConsumers => BroadcastLayout.ConsumerSlotCount;

    /// <summary>The ring's name, as passed to Join.</summary>
    public string Name => _segment.Name;

    /// <summary>The largest payload the ring admits, in bytes, as stored in its header.</summary>
    public int MaxRecordSize => _segment.MaxRecordSize;

    /// <summary>Records this consumer missed since it joined: lapped by the producer, or overwritten while it read them.</summary>
    public long MissedRecords => _missed;

    /// <summary>What this consumer has read so far (<see cref="RingCounters.SkippedRecords"/> is <see cref="MissedRecords"/>).</summary>
    public RingCounters Counters => new(_messages, _bytes, 0, _missed, _peerGoneEvents);

    string IRingCounterSource.Role => "broadcast-consumer";

    /// <summary>
    /// Joins the broadcast ring <paramref name="name"/> (created by its producer) in a free consumer slot, starting
    /// at <paramref name="start"/>. The options must match the segment's header, the slow-consumer policy included.
    /// </summary>
    /// <exception cref="RingException">No such ring, a mismatch (<see cref="RingError.FormatMismatch"/>), or every slot
    /// held by a live process (<see cref="RingError.RoleTaken"/>).</exception>
    public static BroadcastConsumer Join(string name, RingOptions options, BroadcastStart start = BroadcastStart.Newest)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("ShmRing needs Linux (/dev/shm, futex)");
        }

        if (options.Kind != RingKind.Broadcast)
        {
            throw new ArgumentException($"a broadcast consumer needs Kind = {RingKind.Broadcast}, not {options.Kind}", nameof(options));
        }

        RingSegment segment = RingSegment.Attach(name, options);
        try
        {
            return new BroadcastConsumer(segment, options, start);
        }
        catch
        {
            segment.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The next record if one is published, without waiting; while one is held (not yet released), that one again.
    /// Lossy: a consumer the producer lapped moves to the newest record first, and counts what it skipped.
    /// </summary>
    public bool TryRead(out RingRecord record)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_heldRecordLength != 0)
        {
            record = new RingRecord(_data.HeaderAt(_position).Payload(_heldPayloadLength), _heldType);
            return true;
        }

        while (true)
        {
            RecordHeader header = _data.HeaderAt(_position);

            // One load of the record's own commit word (one cache-line transfer).
            // SYNC POINT acquire, partner BroadcastClaims.WriteHeader's release store of the tag: the header fields
            // and payload written before it are visible after this load.
            if (Volatile.Read(ref header.CommitTag) != _data.CommitTagOf(_position))
            {
                // SYNC POINT acquire, partner BroadcastClaims.Commit's release store of Tail.
                if (Volatile.Read(ref _header.Tail) <= _position)
                {
                    record = default;
                    return false; // not published yet
                }

                // The tail covers our position, so this lap's tag there is visible now (stored before the tail): look
                // again, since the first look may have come just before it was published.
                // SYNC POINT acquire, partner BroadcastClaims.WriteHeader's release store of the tag.
                if (Volatile.Read(ref header.CommitTag) != _data.CommitTagOf(_position))
                {
                    Lapped(header); // published, and since replaced by a later lap's bytes
                }

                continue;
            }

            int recordLength = (int)header.Length;
            int payloadLength = (int)header.PayloadLength;
            int recordType = header.Type;
            long sequence = (long)header.Sequence;
            if (_lossy && !IsIntact(_position))
            {
                Lapped(header);
                continue; // what we just read may be the next lap's
            }

            if (!_data.IsValidRecord(_position, recordLength, payloadLength, recordType, _segment.MaxRecordSize))
            {
                ThrowCorrupted(recordLength, payloadLength, recordType);
            }

            if (recordType == RingLayout.PaddingType)
            {
                _position += recordLength;

                // SYNC POINT release, partner the producer's acquire of the cursor (BroadcastClaims.ScanSlowestCursor).
                Volatile.Write(ref _slot.Cursor, _position);
                continue;
            }

            if (_expectedSequence != 0 && sequence > _expectedSequence)
            {
                _missed += sequence - _expectedSequence;
            }

            _expectedSequence = sequence + 1;
            _heldRecordLength = recordLength;
            _heldPayloadLength = payloadLength;
            _heldType = recordType;
            record = new RingRecord(header.Payload(payloadLength), recordType);
            return true;
        }
    }

    /// <summary>
    /// The next record, waiting with the configured strategy: <see cref="RingReadStatus.TimedOut"/> after
    /// <paramref name="timeout"/>, <see cref="RingReadStatus.PeerGone"/> once everything published has been read and
    /// the producer has detached or is proven dead.
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

            // While spinning, read the clock every 64 polls only: a poll is a load of a line in our own cache.
            if ((polls & 63) != 0 && (clock.Spinning || _options.WaitStrategy == RingWaitStrategy.BusySpin))
            {
                continue;
            }

            clock.Update();
            if (clock.PeerCheckDue())
            {
                // As the ring consumer's peer check: never touch the mapping past a truncated end.
                _segment.ThrowIfTruncated();

                // Informational (no partner): a sign of life.
                Volatile.Write(ref _slot.Heartbeat, clock.Now);

                // SYNC POINT acquire, partner the producer's CAS at attach and its release store at detach.
                ulong producer = Volatile.Read(ref _header.ProducerSlot.Owner);
                if (OwnerWord.EverAttached(producer) && !OwnerWord.IsLive(producer))
                {
                    // A gone producer writes nothing more: one last look decides between data and peer-gone.
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

    /// <summary>
    /// Moves past the record last returned. True if it was intact until now (always, in a lossless ring); false if the
    /// producer overwrote it while it was being read: discard what was read from it (it counts as missed).
    /// </summary>
    /// <exception cref="InvalidOperationException">No record is held (none was read, or it was already released).</exception>
    /// <exception cref="ObjectDisposedException">The consumer was disposed.</exception>
    public bool Release()
    {
        if (_heldRecordLength == 0)
        {
            ThrowNothingToRelease();
        }

        bool intact = !_lossy || IsIntact(_position);
        if (intact)
        {
            _messages++;
            _bytes += _heldPayloadLength;
        }
        else
        {
            _missed++;
        }

        _position += _heldRecordLength;
        _heldRecordLength = 0;

        // SYNC POINT release, partner the producer's acquire of the cursor (BroadcastClaims.ScanSlowestCursor): our
        // reads of the payload happen before a lossless producer may overwrite it.
        Volatile.Write(ref _slot.Cursor, _position);
        return intact;
    }

    /// <summary>Leaves the broadcast: frees the slot (a lossless producer stops waiting for it) and unmaps.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _heldRecordLength = 0;
        RingMetrics.Unregister(this);
        if (_segment.IsTruncated)
        {
            // Its header may be gone (a store there would fault): nothing to leave.
            _segment.Dispose();
            return;
        }

        if (_maySleep)
        {
            _slot.ForgetSleeper(OwnerWord.Pid(_owner), ref _header.ConsumersMaySleep);
        }

        // SYNC POINT release, partner the producer's acquire of the owner word (BroadcastClaims.ScanSlowestCursor).
        Volatile.Write(ref _slot.Owner, OwnerWord.Detached(_owner));
        _segment.Dispose();
    }

    /// <summary>
    /// True while nothing from <paramref name="position"/> on can have been overwritten: TailIntent, which the producer
    /// raises before writing, is at most a lap ahead of it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool IsIntact(long position)
    {
        // The reads of the record before this point are not moved after the load below (free on x86; a fence elsewhere).
        // SYNC POINT read barrier + load, partner BroadcastClaims.TryClaim's exchange of TailIntent before it writes.
        Volatile.ReadBarrier();
        return Volatile.Read(ref _header.TailIntent) - _data.Capacity <= position;
    }

    /// <summary>Lossy: the producer lapped us; continue at the newest record (the sequence gap counts what we missed).</summary>
    private void Lapped(RecordHeader header)
    {
        if (!_lossy)
        {
            ThrowCorrupted((int)header.Length, (int)header.PayloadLength, header.Type);
        }

        // SYNC POINT acquire, partner BroadcastClaims.Commit's release stores (Latest before Tail).
        _position = Volatile.Read(ref _header.Latest);
    }

    private ConsumerSlot TakeSlot()
    {
        for (int index = 0; index < BroadcastLayout.ConsumerSlotCount; index++)
        {
            ConsumerSlot slot = _header.Consumer(index);

            // SYNC POINT acquire, partner a previous holder's CAS and its release store at leave.
            ulong current = Volatile.Read(ref slot.Owner);
            if (OwnerWord.IsLive(current))
            {
                continue;
            }

            // SYNC POINT full fence (CAS), partner the producer's acquire of the owner word (ScanSlowestCursor).
            if (Interlocked.CompareExchange(ref slot.Owner, _owner, current) == current)
            {
                // A dead holder's may-sleep count, if the producer has not taken it back yet.
                if (OwnerWord.Pid(current) > 0)
                {
                    slot.ForgetSleeper(OwnerWord.Pid(current), ref _header.ConsumersMaySleep);
                }

                // Until positioned, a lossless producer waits for nothing of ours.
                Volatile.Write(ref slot.Cursor, BroadcastLayout.NotPositioned);
                return slot;
            }
        }

        throw new RingException(RingError.RoleTaken, _segment.Name, $"all {BroadcastLayout.ConsumerSlotCount} consumer slots are held by live processes");
    }

    /// <summary>
    /// Where this consumer starts, published as its cursor before it is relied on: publish, fence, then check that the
    /// producer has not raised TailIntent past it (Dekker with the producer's raise, then cursor scan); else again.
    /// </summary>
    private long Position(BroadcastStart start)
    {
        while (true)
        {
            // SYNC POINT acquire, partner BroadcastClaims.Commit's release store of Tail (Latest before it).
            long tail = Volatile.Read(ref _header.Tail);
            long position = start == BroadcastStart.Oldest
                ? Volatile.Read(ref _header.Head)
                : tail == 0 ? 0 : Volatile.Read(ref _header.Latest);
            Volatile.Write(ref _slot.Cursor, position);

            // SYNC POINT full fence (the increment), partner BroadcastClaims.TryClaim's exchange of TailIntent before
            // its load of Joins: either it sees this join (and scans our cursor) or we see its raise below.
            Interlocked.Increment(ref _header.Joins);
            if (Volatile.Read(ref _header.TailIntent) - _data.Capacity <= position)
            {
                _expectedSequence = tail == 0 ? 1 : SequenceAt(position);
                return position;
            }
        }
    }

    /// <summary>The sequence number of the published record at <paramref name="position"/>, or 0 if it is no longer intact.</summary>
    private long SequenceAt(long position)
    {
        RecordHeader header = _data.HeaderAt(position);

        // SYNC POINT acquire, partner BroadcastClaims.WriteHeader's release store of the tag.
        bool published = Volatile.Read(ref header.CommitTag) == _data.CommitTagOf(position);
        long sequence = (long)header.Sequence;
        return published && IsIntact(position) ? sequence : 0;
    }


    /// <summary>Futex sleep: announce it, look once more, then sleep until the producer's commit (or the budget) wakes us.</summary>
    private void Sleep(long budgetNanoseconds)
    {
        ref int wakeWord = ref _header.WakeWord;

        // SYNC POINT full fence, partner RingProducer.WakeConsumerIfSleeping's fence before its load of the wake word.
        Interlocked.Exchange(ref wakeWord, 1);

        // SYNC POINT acquire, partner BroadcastClaims.Commit's release store of Tail.
        if (Volatile.Read(ref _header.Tail) <= _position && budgetNanoseconds > 0)
        {
            _header.FutexWaitOnWakeWord(1, budgetNanoseconds);
        }

        // Other consumers may still sleep on the word: leave it set; the producer clears it when it wakes them all.
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
}
