using System.Runtime.CompilerServices;

namespace ShmIpc.NetTransports.Grpc;

/// <summary>
/// A write-only stream over an HTTP/2 request body that sends in batches while the body is busy (group commit). A
/// write copies into a bounded buffer and returns; a flush with nothing in flight starts sending at once, on the
/// caller's thread, so a lone message goes out as before. While a write + flush of the inner stream is in flight,
/// writes and flushes only add to the buffer; when it completes, everything buffered goes out in one write + flush.
/// A write that does not fit waits for the in-flight send (back-pressure: at most the capacity is held here, and at
/// most the capacity is in flight). <see cref="WaitUntilSentAsync"/> waits until everything written so far has been
/// written to and flushed on the inner stream: a caller that is not behind waits there, as it would have waited for
/// its own write, so its thread does not run ahead of the connection's. A failure of the inner stream is thrown by
/// the next write, flush or wait, never dropped.
/// </summary>
/// <remarks>
/// No lock: writes, flushes and waits come from one caller at a time (gRPC's request stream allows one write in
/// progress) and the pump is the only other party, so it is single-producer/single-consumer. One ring of twice the
/// capacity, addressed by three running byte counts: <see cref="_written"/> (the caller's), and <see cref="_taken"/>
/// and <see cref="_sent"/> (the pump's). [_sent, _taken) is in flight (at most the capacity), [_taken, _written) is
/// held (at most the capacity), so the caller never writes over bytes in flight. <see cref="_busy"/> hands the pump
/// between the two (see <see cref="Kick"/> and <see cref="StaysBusy"/>). One long-lived pump loop, so a round
/// allocates nothing of ours.
/// </remarks>
internal sealed class CoalescingRequestStream : Stream
{
    private readonly Stream _inner;
    private readonly byte[] _ring;
    private readonly int _capacity;

    // The pump waits on this while idle; the caller that makes it busy sets it and runs the round's start inline.
    private readonly SingleWaiterSignal _work = new(runContinuationsAsynchronously: false);

    // Set by the pump after every round (and when it fails); a writer waiting for room or a caller waiting for its
    // bytes to be sent waits on it, and resumes on the pump's thread (as a write awaited on HttpClient's would).
    private readonly SingleWaiterSignal _roundDone = new(runContinuationsAsynchronously: false);

    // Bytes accepted from the caller: written by the caller only.
    private long _written;

    // Bytes handed to a round (taken) and bytes whose round (write + flush of the inner stream) has completed (sent):
    // written by the pump only.
    private long _taken;
    private long _sent;

    // 1 from the moment a caller hands the pump work until the pump finds nothing held after a round; while 1 the pump
    // will look at _written again, so a caller only adds to the ring.
    private int _busy;
    private int _closed;
    private Exception? _failure;

    public CoalescingRequestStream(Stream inner, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, Array.MaxLength / 2);
        _inner = inner;
        _capacity = capacity;
        _ring = GC.AllocateUninitializedArray<byte>(2 * capacity);
        _ = PumpAsync(); // catches the inner stream's failures itself; they surface through _failure
    }

    public int Capacity => _capacity;

    /// <summary>Bytes written and not yet handed to the inner stream.</summary>
    public int BufferedLength
    {
        get
        {
            // From any thread: _taken read on both sides of _written, so the pair is one moment's.
            while (true)
            {
                long taken = Volatile.Read(ref _taken); // SYNC POINT acquire, partner the pump's release store of _taken
                long written = Volatile.Read(ref _written); // SYNC POINT acquire, partner CopyIn's release store of _written
                if (Volatile.Read(ref _taken) == taken)
                {
                    return (int)(written - taken);
                }
            }
        }
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => Volatile.Read(ref _closed) == 0;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfUnusable();
        int copied = CopyIn(buffer.Span);
        if (copied == buffer.Length)
        {
            return default;
        }

        Kick();
        return WriteRestAsync(buffer[copied..]);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Sends what is buffered now if nothing is in flight; otherwise it goes with the round after the one in flight.</summary>
    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfUnusable();
        Kick();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Completes when everything written so far has been written to and flushed on the inner stream (what a write of
    /// the inner stream awaited would have waited for); throws the inner stream's failure if there was one. Before the
    /// end of the body it keeps the end from overtaking the buffered bytes.
    /// </summary>
    public ValueTask WaitUntilSentAsync()
    {
        long target = _written; // the caller's own count
        // Everything sent is a truthful answer even from a body that has ended (a channel's earlier call's).
        // SYNC POINT acquire (both), partner the pump's release stores of _failure and _sent.
        if (Volatile.Read(ref _failure) is null && Volatile.Read(ref _sent) >= target)
        {
            return default;
        }

        ThrowIfUnusable();
        Kick(); // bytes written with no flush after them are sent now
        return WaitForRoundsAsync(target);
    }

    public override void Write(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("the request body is written asynchronously only");

    public override void Flush() =>
        throw new NotSupportedException("the request body is flushed asynchronously only");

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>
    /// Ends the pump without sending what is buffered (an abandoned body; <see cref="WaitUntilSentAsync"/> first to send it).
    /// Does not dispose the inner stream, which belongs to HttpClient.
    /// </summary>
    protected override void Dispose(bool disposing)
    {
        // SYNC POINT full fence, partner the acquire loads of _closed (the pump before each round, ThrowIfUnusable
        // after a wake-up): _closed is visible before either signal is set.
        if (disposing && Interlocked.Exchange(ref _closed, 1) == 0)
        {
            // Wakes an idle pump so it ends (a pump in a round ends after it; a set is remembered), and a caller waiting
            // for room or for its bytes to be sent, which now throws instead of waiting for a pump that has stopped.
            _work.Set();
            _roundDone.Set();
        }

        base.Dispose(disposing);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WaitForRoundsAsync(long target)
    {
        while (true)
        {
            await _roundDone.WaitAsync().ConfigureAwait(false);

            // SYNC POINT acquire (both), partner the pump's release stores of _failure and _sent (before its signal).
            if (Volatile.Read(ref _failure) is null && Volatile.Read(ref _sent) >= target)
            {
                return;
            }

            ThrowIfUnusable();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WriteRestAsync(ReadOnlyMemory<byte> rest)
    {
        while (true)
        {
            // No cancellation check here: part of the message is already buffered, and the wait is bounded by the
            // round in flight, which completes or fails (HttpClient aborts it when the call is cancelled).
            await _roundDone.WaitAsync().ConfigureAwait(false);
            ThrowIfUnusable();
            int copied = CopyIn(rest.Span);
            if (copied == rest.Length)
            {
                return;
            }

            rest = rest[copied..];
            Kick();
        }
    }

    /// <summary>
    /// The one pump: waits while idle, then sends rounds until nothing is held. Runs inline in the caller that made
    /// it busy up to the inner stream's first incomplete write; afterwards on the inner stream's completions.
    /// </summary>
    private async Task PumpAsync()
    {
        while (true)
        {
            await _work.WaitAsync().ConfigureAwait(false);
            bool more = true;
            while (more)
            {
                if (Volatile.Read(ref _closed) != 0) // SYNC POINT acquire, partner Dispose's exchange of _closed
                {
                    return;
                }

                long start = _sent; // the pump's own count; equal to _taken between rounds

                // SYNC POINT acquire, partner CopyIn's release store of _written: the bytes before it are in the ring.
                long end = Volatile.Read(ref _written);

                // SYNC POINT release, partner CopyIn's acquire load of _taken: the room this frees was last read by a
                // round that has completed, so the caller may overwrite it.
                Volatile.Write(ref _taken, end);
                try
                {
                    // [start, end) is at most the capacity; where it wraps, two writes and still one flush.
                    int at = (int)(start % _ring.Length);
                    int length = (int)(end - start);
                    int first = Math.Min(length, _ring.Length - at);
                    if (first > 0)
                    {
                        await _inner.WriteAsync(_ring.AsMemory(at, first)).ConfigureAwait(false);
                    }

                    if (length > first)
                    {
                        await _inner.WriteAsync(_ring.AsMemory(0, length - first)).ConfigureAwait(false);
                    }

                    await _inner.FlushAsync().ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    // _busy stays 1: the pump is gone, so no caller tries to wake it; every call now throws.
                    // SYNC POINT release, partner the acquire loads of _failure (ThrowIfUnusable, the waits' checks).
                    Volatile.Write(ref _failure, exception);
                    _roundDone.Set();
                    return;
                }

                Volatile.Write(ref _sent, end); // SYNC POINT release, partner the waits' acquire loads of _sent
                more = StaysBusy(end);
                _roundDone.Set();
            }
        }
    }

    /// <summary>
    /// After a round that sent everything up to <paramref name="end"/>: true if the pump goes on to another round
    /// (bytes were written meanwhile, flushed or not, as the round's start would have taken them), false if it went idle.
    /// A flush that came during the round with nothing written after the round began needs no round of its own: the
    /// round ended with a flush of everything written before it.
    /// </summary>
    /// <remarks>
    /// A caller publishes _written and then exchanges _busy (<see cref="Kick"/>); the pump clears _busy and then reads
    /// _written. Both are full fences, so either the caller sees 0 and wakes the pump, or the pump sees the bytes and
    /// takes _busy back (unless a caller has taken it, and then that caller wakes it). No flushed byte is left behind.
    /// </remarks>
    private bool StaysBusy(long end)
    {
        if (Volatile.Read(ref _written) != end) // SYNC POINT acquire, partner CopyIn's release store of _written
        {
            return true;
        }

        // SYNC POINT full fence, partner Kick's exchange of _busy: cleared before _written is read again.
        Interlocked.Exchange(ref _busy, 0);

        // SYNC POINT acquire, partner CopyIn's release store of _written; then full fence (CAS), partner Kick's exchange.
        return Volatile.Read(ref _written) != end && Interlocked.CompareExchange(ref _busy, 1, 0) == 0;
    }

    /// <summary>Makes the pump busy and wakes it if it was idle (it runs inline here); nothing if it is already busy.</summary>
    private void Kick()
    {
        // SYNC POINT full fence, partner the pump's exchange and CAS of _busy in StaysBusy: the caller's _written is
        // published before it, so a pump that clears _busy after this sees the bytes.
        if (Interlocked.Exchange(ref _busy, 1) == 0)
        {
            _work.Set();
        }
    }

    /// <summary>Copies what fits of <paramref name="source"/> after the held bytes (at most the capacity held); the caller's side.</summary>
    private int CopyIn(ReadOnlySpan<byte> source)
    {
        long written = _written; // the caller's own count

        // SYNC POINT acquire, partner the pump's release store of _taken: the room it frees has been sent.
        long taken = Volatile.Read(ref _taken);
        int copied = (int)Math.Min(source.Length, _capacity - (written - taken));
        if (copied == 0)
        {
            return 0;
        }

        int at = (int)(written % _ring.Length);
        int first = Math.Min(copied, _ring.Length - at);
        source[..first].CopyTo(_ring.AsSpan(at));
        source[first..copied].CopyTo(_ring);
        // SYNC POINT release, partner the pump's acquire loads of _written: the bytes are in the ring first.
        Volatile.Write(ref _written, written + copied);
        return copied;
    }

    private void ThrowIfUnusable()
    {
        if (Volatile.Read(ref _failure) is { } failure) // SYNC POINT acquire, partner the pump's release store of _failure
        {
            throw new IOException($"the request body failed while sending earlier messages: {failure.Message}", failure);
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _closed) != 0, this); // SYNC POINT acquire, partner Dispose's exchange of _closed
    }
}
