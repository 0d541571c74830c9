using System.Diagnostics;
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
    private readonly MappedFile _file;
    private readonly RingOptions _options;
    private readonly long _capacity;
    private readonly long _mask;
    private readonly ulong _tagKey;
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
        _file = segment.File;
        _options = options;
        _capacity = segment.Capacity;
        _mask = segment.Capacity - 1;
        _tagKey = segment.TagKey;
        _maxRecordSize = segment.MaxRecordSize;
        _multiProducer = segment.Kind == RingKind.MultiProducer;
        _owner = OwnerWord.Attached(ProcessIdentity.Current);

        ref ulong owner = ref _file.At<ulong>(RingLayout.ConsumerOwnerOffset);
        ulong current = Volatile.Read(ref owner);
        if (OwnerWord.IsLive(current))
        {
            throw new RingException(RingError.RoleTaken, segment.Name, $"the consumer role is held by live pid {OwnerWord.Pid(current)}");
        }

        if (Interlocked.CompareExchange(ref owner, _owner, current) != current)
        {
            throw new RingException(RingError.RoleTaken, segment.Name, "another consumer attached at the same moment");
        }

        Volatile.Write(ref _file.At<uint>(RingLayout.ConsumerMaySleepOffset), options.WaitStrategy == RingWaitStrategy.SpinThenBlock ? 1u : 0u);
        Volatile.Write(ref _file.At<long>(RingLayout.ConsumerHeartbeatOffset), Stopwatch.GetTimestamp());
        _position = Volatile.Read(ref _file.At<long>(RingLayout.ConsumerPositionOffset));
        RingMetrics.Register(this);
    }

    public string Name => _segment.Name;

    public RingKind Kind => _segment.Kind;

    public int MaxRecordSize => _maxRecordSize;

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
            long header = RingLayout.DataOffset + (_position & _mask);

            // Acquire: one load of the record's own commit word (one cache-line transfer); the header fields and
            // payload the producer wrote before its release store are visible after it.
            if (Volatile.Read(ref _file.At<ulong>(header + RingLayout.RecordCommitOffset)) != RingLayout.CommitTag(_position, _tagKey))
            {
                record = default;
                return false;
            }

            int recordLength = (int)_file.At<uint>(header + RingLayout.RecordLengthOffset);
            int payloadLength = (int)_file.At<uint>(header + RingLayout.RecordPayloadLengthOffset);
            int recordType = _file.At<int>(header + RingLayout.RecordTypeOffset);
            ValidateRecord(header - RingLayout.DataOffset, recordLength, payloadLength, recordType);
            if (recordType == RingLayout.PaddingType)
            {
                // Padding (the rest of a lap, or an aborted MPSC claim): skip it and give its space back at once.
                _position += recordLength;
                Volatile.Write(ref _file.At<long>(RingLayout.ConsumerPositionOffset), _position);
                continue;
            }

            _heldRecordLength = recordLength;
            _heldPayloadLength = payloadLength;
            record = new RingRecord(_file.Span(header + RingLayout.RecordHeaderLength, payloadLength), recordType);
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
                Volatile.Write(ref _file.At<long>(RingLayout.ConsumerHeartbeatOffset), clock.Now);
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
    public void Release()
    {
        if (_heldRecordLength == 0)
        {
            throw new InvalidOperationException("no record to release");
        }

        Advance();

        // Release: our reads of the payload happen before a producer may overwrite it.
        Volatile.Write(ref _file.At<long>(RingLayout.ConsumerPositionOffset), _position);
    }

    /// <summary>
    /// Hands up to <paramref name="maxRecords"/> available records to <paramref name="handler"/> without waiting, then
    /// releases them all with one store. Returns how many it handled.
    /// </summary>
    public int ReadBatch<THandler>(ref THandler handler, int maxRecords)
        where THandler : struct, IRingRecordHandler
    {
        int handled = 0;
        while (handled < maxRecords && TryRead(out RingRecord record))
        {
            handler.OnRecord(record);
            Advance();
            handled++;
        }

        if (handled != 0)
        {
            Volatile.Write(ref _file.At<long>(RingLayout.ConsumerPositionOffset), _position);
        }

        return handled;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        RingMetrics.Unregister(this);
        Volatile.Write(ref _file.At<uint>(RingLayout.ConsumerMaySleepOffset), 0);
        Volatile.Write(ref _file.At<ulong>(RingLayout.ConsumerOwnerOffset), OwnerWord.Detached(_owner));
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

    private void ValidateRecord(long offset, int recordLength, int payloadLength, int recordType)
    {
        bool valid = recordLength >= RingLayout.RecordHeaderLength
            && recordLength % RingLayout.RecordAlignment == 0
            && offset + recordLength <= _capacity
            && (recordType == RingLayout.PaddingType
                ? payloadLength == 0
                : recordType >= 0 && (uint)payloadLength <= (uint)_maxRecordSize && RingLayout.RecordLength(payloadLength) <= recordLength);
        if (!valid)
        {
            throw new RingException(
                RingError.Corrupted,
                _segment.Name,
                $"record at position {_position} has length {recordLength}, payload length {payloadLength}, type {recordType}");
        }
    }

    /// <summary>Futex sleep: announce it, look once more, then sleep until a producer's commit (or the budget) wakes us.</summary>
    private void Sleep(long budgetNanoseconds)
    {
        ref int wakeWord = ref _file.At<int>(RingLayout.WakeWordOffset);

        // Exchange is a full fence: the announcement is visible before the re-check below (Dekker with the producer).
        Interlocked.Exchange(ref wakeWord, 1);
        if (!RecordAvailable() && budgetNanoseconds > 0)
        {
            _file.FutexWait(RingLayout.WakeWordOffset, 1, budgetNanoseconds);
        }

        // Woken by a producer (which already reset it), by a timeout, or never slept: no longer asleep.
        Volatile.Write(ref wakeWord, 0);
    }

    private bool RecordAvailable()
    {
        long header = RingLayout.DataOffset + (_position & _mask);
        return Volatile.Read(ref _file.At<ulong>(header + RingLayout.RecordCommitOffset)) == RingLayout.CommitTag(_position, _tagKey);
    }

    /// <summary>
    /// True if no record can come any more: every producer that attached has detached or is proven dead. In an MPSC ring
    /// this is also where a dead producer's uncommitted claim is skipped.
    /// </summary>
    private bool ProducersGone()
    {
        if (!_multiProducer)
        {
            ulong owner = Volatile.Read(ref _file.At<ulong>(RingLayout.SlotOffset(0) + RingLayout.SlotOwnerOffset));
            return OwnerWord.EverAttached(owner) && !OwnerWord.IsLive(owner);
        }

        long claimed = (long)(Volatile.Read(ref _file.At<ulong>(RingLayout.ProducerPositionOffset)) & ~RingLayout.ClaimantIndexMask);
        if (claimed > _position && _heldRecordLength == 0)
        {
            // Space at our position is claimed but not committed: its producer is writing, paused, or dead.
            if (new DeadClaimResolver(_file, _tagKey, _capacity).TryFindSkipTarget(_position, out long skipTo))
            {
                _position = skipTo;
                _skippedRecords++;
                Volatile.Write(ref _file.At<long>(RingLayout.ConsumerPositionOffset), _position);
            }

            return false;
        }

        bool everAttached = false;
        for (int slot = 0; slot < RingLayout.ProducerSlotCount; slot++)
        {
            ulong owner = Volatile.Read(ref _file.At<ulong>(RingLayout.SlotOffset(slot) + RingLayout.SlotOwnerOffset));
            if (OwnerWord.IsLive(owner))
            {
                return false;
            }

            everAttached |= OwnerWord.EverAttached(owner);
        }

        return everAttached;
    }
}
