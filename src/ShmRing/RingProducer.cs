using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace ShmIpc.ShmRing;

/// <summary>
/// Writes records into a ring. Zero-copy: <see cref="TryClaim"/> lends a <see cref="RingClaim"/> over space inside the
/// mapped segment, the caller writes (or encodes) into it and commits the length it wrote. One thread at a time per
/// producer; in an MPSC ring each producer process (or thread) opens its own <see cref="RingProducer"/>.
/// </summary>
/// <remarks>
/// The claim protocol is the segment kind's (<see cref="SingleProducerClaims"/> or <see cref="MultiProducerClaims"/>);
/// this type runs what both share: argument checks, the open claim, waiting for space, the counters, the heartbeat,
/// waking a sleeping consumer and detaching.
/// </remarks>
/// <example>
/// <code>
/// using var producer = RingProducer.Attach("feed", options);
/// if (producer.TryClaim(16384, out RingClaim claim))
/// {
///     using (claim) // aborts if Encode throws
///     {
///         claim.Commit(codec.Encode(snapshot, claim.Destination));
///     }
/// }
/// </code>
/// </example>
public sealed class RingProducer : IDisposable, IRingCounterSource
{
    private readonly RingSegment _segment;
    private readonly RingOptions _options;
    private readonly RingHeader _header;
    private readonly DataRegion _data;
    private readonly ProducerSlot _slot;
    private readonly ulong _owner;

    // Exactly one is set, by the segment's kind (a broadcast's producer is a single producer with its own rule for
    // what it may overwrite). Sealed types in typed fields rather than an interface: every call into
    // a protocol is direct (and inlinable), and which one is set is as predictable a branch as the kind itself.
    private readonly SingleProducerClaims? _singleProducerClaims;
    private readonly MultiProducerClaims? _multiProducerClaims;
    private readonly Broadcast.BroadcastClaims? _broadcastClaims;

    // The open claim: its sequence number (0 = none; the RingClaim holds the same number), record position and
    // largest payload.
    private long _openClaim;
    private long _claimsOpened;
    private long _claimPosition;
    private int _claimMaxLength;

    private long _messages;
    private long _bytes;
    private long _fullEvents;
    private long _peerGoneEvents;

    /// <summary>Broadcast: commits, while some consumer is counted as one that may sleep, between checks for dead ones.</summary>
    private const int CommitsPerSleeperCheck = 1 << 16;

    private int _commitsSinceSleeperCheck;
    private bool _disposed;

    private RingProducer(RingSegment segment, RingOptions options)
    {
        _segment = segment;
        _options = options;
        _header = segment.Header;
        _data = segment.Data;
        MaxRecordSize = segment.MaxRecordSize;
        _owner = OwnerWord.Attached(ProcessIdentity.Current);
        if (segment.Kind == RingKind.MultiProducer)
        {
            _multiProducerClaims = new MultiProducerClaims(segment, _owner);
            _slot = _multiProducerClaims.Slot;
        }
        else if (segment.Kind == RingKind.Broadcast)
        {
            _broadcastClaims = new Broadcast.BroadcastClaims(segment, _owner);
            _slot = _broadcastClaims.Slot;
        }
        else
        {
            _singleProducerClaims = new SingleProducerClaims(segment, _owner);
            _slot = _singleProducerClaims.Slot;
        }

        // Informational (no partner): a sign of life for a person looking at the segment.
        Volatile.Write(ref _slot.Heartbeat, Stopwatch.GetTimestamp());
        RingMetrics.Register(this);
    }

    /// <summary>The ring's name, as passed to Create or Attach.</summary>
    public string Name => _segment.Name;

    /// <summary>Whether the ring has one producer or many, as stored in its header.</summary>
    public RingKind Kind => _segment.Kind;

    /// <summary>The largest payload the ring admits, in bytes, as stored in its header.</summary>
    public int MaxRecordSize { get; }

    /// <summary>This producer's slot (tests play its death by writing a dead owner there).</summary>
    internal ProducerSlot Slot => _slot;

    /// <summary>What this producer has written so far (plain fields of its own thread: read them from that thread or accept a slightly stale copy).</summary>
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
    /// Claims space for a payload of up to <paramref name="maxLength"/> bytes without waiting. False (a default
    /// <paramref name="claim"/>, and a full event counted) if the ring has no room; unread data is never overwritten.
    /// </summary>
    /// <exception cref="InvalidOperationException">A claim of this producer is still open.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is negative or above <see cref="MaxRecordSize"/>.</exception>
    public bool TryClaim(int maxLength, out RingClaim claim)
    {
        if (TryClaimCore(maxLength, out claim))
        {
            return true;
        }

        _fullEvents++;
        return false;
    }

    /// <summary>
    /// Claims space, waiting for the consumer to make room: <see cref="RingWriteStatus.TimedOut"/> after
    /// <paramref name="timeout"/> (<see cref="Timeout.InfiniteTimeSpan"/> waits forever),
    /// <see cref="RingWriteStatus.PeerGone"/> once the consumer is proven dead or has detached. Unless the status is
    /// <see cref="RingWriteStatus.Success"/>, <paramref name="claim"/> is a default one (nothing claimed).
    /// </summary>
    public RingWriteStatus Claim(int maxLength, TimeSpan timeout, out RingClaim claim)
    {
        if (TryClaimCore(maxLength, out claim))
        {
            return RingWriteStatus.Success;
        }

        _fullEvents++;
        var clock = new WaitClock(_options, timeout);
        for (int polls = 1; ; polls++)
        {
            if (TryClaimCore(maxLength, out claim))
            {
                return RingWriteStatus.Success;
            }

            clock.Update();
            if (clock.PeerCheckDue())
            {
                // As in the consumer's peer check: never touch the mapping past a truncated end.
                _segment.ThrowIfTruncated();

                // Informational (no partner): a sign of life.
                Volatile.Write(ref _slot.Heartbeat, clock.Now);

                // A broadcast has no one consumer whose death ends the wait: a lossless one stops waiting for the dead.
                _broadcastClaims?.ReclaimDeadConsumers();

                // SYNC POINT acquire, partner the consumer's CAS at attach and its release store at detach.
                ulong consumer = Volatile.Read(ref _header.ConsumerOwner);
                if (OwnerWord.EverAttached(consumer) && !OwnerWord.IsLive(consumer))
                {
                    // Proven gone; a last look in case it released space before exiting.
                    if (TryClaimCore(maxLength, out claim))
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
    /// Readies the space the next claim of up to <paramref name="maxLength"/> bytes will take, for a producer with idle
    /// time before its next message (an open-loop sender waiting for its due time): one store into each cache line of
    /// that record's payload, so the claim's writes find the lines already owned by this core rather than fetching
    /// each from the consumer's cache or from memory while the payload is written, on the latency path (a 16 KB
    /// record has 256 lines; docs/benchmarks.md). Nothing is published, the header line the consumer polls is not
    /// written, and no claim is opened: the next <see cref="TryClaim"/> or <see cref="Claim"/> of up to this length
    /// takes the same space. The lines go back to the consumer's side as it reads, so call it shortly before the
    /// claim, not long after the last commit (while the consumer's reads, and its core's prefetcher, still reach past
    /// the record it is reading). Lossy broadcast: the oldest records are given up now, as that claim would give them up.
    /// </summary>
    /// <returns>
    /// False, with nothing written, if the space is not free yet (the consumer, or a lossless broadcast's slowest
    /// one, has not released it) or the ring is MPSC, where the next claim's place is decided only as it is made.
    /// </returns>
    /// <exception cref="InvalidOperationException">A claim of this producer is open.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is negative or above <see cref="MaxRecordSize"/>.</exception>
    public bool Pretouch(int maxLength)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_openClaim != 0)
        {
            ThrowClaimOpen();
        }

        if ((uint)maxLength > (uint)MaxRecordSize)
        {
            ThrowClaimTooLong(maxLength, MaxRecordSize);
        }

        if (_multiProducerClaims is not null)
        {
            return false;
        }

        // The claim protocol's own TryClaim, without opening a claim: it pads the lap's end (or, lossy broadcast,
        // raises the overwrite intent) exactly as the claim would, and the claim then finds that done.
        int recordLength = RingLayout.RecordLength(maxLength);
        long position = _singleProducerClaims is not null
            ? _singleProducerClaims.TryClaim(recordLength)
            : _broadcastClaims!.TryClaim(recordLength);
        if (position < 0)
        {
            return false;
        }

        _data.TouchPayloadLines(position, maxLength);
        return true;
    }

    /// <summary>Copies <paramref name="payload"/> into the ring if there is room now (else false and a full event).</summary>
    public bool TryWrite(ReadOnlySpan<byte> payload, int recordType = 0)
    {
        if (!TryClaim(payload.Length, out RingClaim claim))
        {
            return false;
        }

        payload.CopyTo(claim.Destination);
        claim.Commit(payload.Length, recordType);
        return true;
    }

    /// <summary>Copies <paramref name="payload"/> into the ring, waiting for room as <see cref="Claim"/> does.</summary>
    public RingWriteStatus Write(ReadOnlySpan<byte> payload, TimeSpan timeout, int recordType = 0)
    {
        RingWriteStatus status = Claim(payload.Length, timeout, out RingClaim claim);
        if (status == RingWriteStatus.Success)
        {
            payload.CopyTo(claim.Destination);
            claim.Commit(payload.Length, recordType);
        }

        return status;
    }

    /// <summary>Aborts an open claim, detaches, and unmaps (the creator also unlinks the file).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        RingMetrics.Unregister(this);
        if (_segment.IsTruncated)
        {
            // Its header and records may be gone (a store there would fault): nothing to abort or detach from.
            _segment.Dispose();
            return;
        }

        if (_openClaim != 0)
        {
            AbortOpenClaim();
        }

        // Detach cleanly (the consumer reports peer-gone once the ring is drained), and wake a sleeping consumer to see it.
        // SYNC POINT release, partner the consumer's acquire of this owner word (RingConsumer.ProducersGone).
        Volatile.Write(ref _slot.Owner, OwnerWord.Detached(_owner));
        if (Interlocked.Exchange(ref _header.WakeWord, 0) != 0)
        {
            _header.FutexWakeOnWakeWord();
        }

        _segment.Dispose();
    }

    /// <summary>Publishes the open claim <paramref name="sequence"/> (see <see cref="RingClaim.Commit"/>).</summary>
    internal void Commit(long sequence, int length, int recordType)
    {
        if (sequence != _openClaim)
        {
            ThrowClaimNotOpen();
        }

        if ((uint)length > (uint)_claimMaxLength)
        {
            ThrowCommitTooLong(length, _claimMaxLength);
        }

        ArgumentOutOfRangeException.ThrowIfNegative(recordType);
        if (_singleProducerClaims is not null)
        {
            _singleProducerClaims.Commit(_claimPosition, length, recordType);
        }
        else if (_multiProducerClaims is not null)
        {
            _multiProducerClaims.Commit(_claimPosition, length, recordType);
        }
        else
        {
            _broadcastClaims!.Commit(_claimPosition, length, recordType);
        }

        _openClaim = 0;
        _messages++;
        _bytes += length;
        if ((_messages & 1023) == 0)
        {
            // Informational (no partner): a sign of life.
            Volatile.Write(ref _slot.Heartbeat, Stopwatch.GetTimestamp());
        }

        WakeConsumerIfSleeping();
    }

    /// <summary>Gives up the open claim <paramref name="sequence"/> (see <see cref="RingClaim.Abort"/>).</summary>
    internal void Abort(long sequence)
    {
        if (sequence != _openClaim)
        {
            ThrowClaimNotOpen();
        }

        AbortOpenClaim();
    }

    /// <summary>Gives up claim <paramref name="sequence"/> if it is still the open one (see <see cref="RingClaim.Dispose"/>).</summary>
    internal void AbortIfOpen(long sequence)
    {
        if (sequence == _openClaim)
        {
            AbortOpenClaim();
        }
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

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowClaimOpen()
        => throw new InvalidOperationException("a claim is open: commit or abort it first");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowClaimTooLong(int maxLength, int maxRecordSize)
        => throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, $"record length must be 0 to the ring's max record size {maxRecordSize}");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowCommitTooLong(int length, int claimedLength)
        => throw new ArgumentOutOfRangeException(nameof(length), length, $"committed length must be 0 to the claimed {claimedLength}");

    private bool TryClaimCore(int maxLength, out RingClaim claim)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_openClaim != 0)
        {
            ThrowClaimOpen();
        }

        if ((uint)maxLength > (uint)MaxRecordSize)
        {
            ThrowClaimTooLong(maxLength, MaxRecordSize);
        }

        int recordLength = RingLayout.RecordLength(maxLength);
        long position = _singleProducerClaims is not null
            ? _singleProducerClaims.TryClaim(recordLength)
            : _multiProducerClaims is not null
                ? _multiProducerClaims.TryClaim(recordLength)
                : _broadcastClaims!.TryClaim(recordLength);
        if (position < 0)
        {
            claim = default;
            return false;
        }

        _claimPosition = position;
        _claimMaxLength = maxLength;
        _openClaim = ++_claimsOpened;
        claim = new RingClaim(this, _openClaim, _data.HeaderAt(position).Payload(maxLength));
        return true;
    }

    private void AbortOpenClaim()
    {
        _openClaim = 0;

        // SPSC published nothing for the claim (the next claim reuses the space); MPSC publishes it as padding.
        if (_multiProducerClaims is not null)
        {
            _multiProducerClaims.Abort(_claimPosition);
            WakeConsumerIfSleeping();
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowClaimNotOpen()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        throw new InvalidOperationException("the claim is not open: it was already committed or aborted");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WakeConsumerIfSleeping()
    {
        // Only a consumer that may sleep costs the producer a fence; a spinning consumer costs nothing here.
        // SYNC POINT acquire, partner the consumer's release store of ConsumerMaySleep (attach, dispose).
        if (Volatile.Read(ref _header.ConsumerMaySleep) == 0)
        {
            return;
        }

        // A broadcast whose counted sleeper died (kill -9) would cost this fence forever: now and then (no clock read,
        // no syscall on the other commits) the producer frees dead consumers' slots and takes their counts back.
        if (_broadcastClaims is not null && ++_commitsSinceSleeperCheck == CommitsPerSleeperCheck)
        {
            _commitsSinceSleeperCheck = 0;
            _broadcastClaims.ReclaimDeadConsumers();
        }

        // Store-load fence (Dekker with the consumer): our commit store before our read of the wake word, as the
        // consumer's exchange of the wake word is before its re-check of the record. One of us sees the other.
        // SYNC POINT full fence, partner RingConsumer.Sleep's exchange of the wake word (a full fence).
        Interlocked.MemoryBarrier();
        ref int wakeWord = ref _header.WakeWord;
        if (Volatile.Read(ref wakeWord) != 0 && Interlocked.Exchange(ref wakeWord, 0) != 0)
        {
            _header.FutexWakeOnWakeWord();
        }
    }
}
