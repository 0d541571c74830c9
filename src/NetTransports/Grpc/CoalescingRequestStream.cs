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
/// Two buffers of the capacity: the caller fills <c>_pending</c> while the pump sends <c>_sending</c>; the pump swaps
/// them under the lock at the start of a round. One long-lived pump loop, so a round allocates nothing of ours.
/// Writes, flushes and waits come from one caller at a time (gRPC's request stream allows one write in progress), the
/// pump is the second party; <see cref="_lock"/> orders the two.
/// </remarks>
internal sealed class CoalescingRequestStream : Stream
{
    private readonly Stream _inner;
    private readonly Lock _lock = new();

    // The pump waits on this while idle; the caller that makes it busy sets it and runs the round's start inline.
    private readonly SingleWaiterSignal _work = new(runContinuationsAsynchronously: false);

    // Set by the pump after every round (and when it fails); a writer waiting for room or a caller waiting for its
    // bytes to be sent waits on it, and resumes on the pump's thread (as a write awaited on HttpClient's would).
    private readonly SingleWaiterSignal _roundDone = new(runContinuationsAsynchronously: false);
    private byte[] _pending;
    private byte[] _sending;
    private int _pendingLength;

    // Bytes accepted from the caller, and bytes whose round (write + flush of the inner stream) has completed.
    private long _written;
    private long _sent;

    // True from the moment a caller hands the pump work until the pump finds nothing pending after a round; while true
    // the pump will look at _pending again, so a caller only adds to it.
    private bool _busy;
    private bool _closed;
    private Exception? _failure;

    public CoalescingRequestStream(Stream inner, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _inner = inner;
        _pending = GC.AllocateUninitializedArray<byte>(capacity);
        _sending = GC.AllocateUninitializedArray<byte>(capacity);
        _ = PumpAsync(); // catches the inner stream's failures itself; they surface through _failure
    }

    public int Capacity => _pending.Length;

    /// <summary>Bytes written and not yet handed to the inner stream.</summary>
    public int BufferedLength
    {
        get
        {
            lock (_lock)
            {
                return _pendingLength;
            }
        }
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_closed;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        bool kick;
        lock (_lock)
        {
            ThrowIfUnusable();
            int copied = CopyIn(buffer.Span);
            if (copied == buffer.Length)
            {
                return default;
            }

            buffer = buffer[copied..];
            kick = TryMakeBusy();
        }

        if (kick)
        {
            _work.Set();
        }

        return WriteRestAsync(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Sends what is buffered now if nothing is in flight; otherwise it goes with the round after the one in flight.</summary>
    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        bool kick;
        lock (_lock)
        {
            ThrowIfUnusable();
            kick = TryMakeBusy();
        }

        if (kick)
        {
            _work.Set();
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Completes when everything written so far has been written to and flushed on the inner stream (what a write of
    /// the inner stream awaited would have waited for); throws the inner stream's failure if there was one. Before the
    /// end of the body it keeps the end from overtaking the buffered bytes.
    /// </summary>
    public ValueTask WaitUntilSentAsync()
    {
        long target;
        bool kick;
        lock (_lock)
        {
            // Everything sent is a truthful answer even from a body that has ended (a channel's earlier call's).
            if (_failure is null && _sent >= _written)
            {
                return default;
            }

            ThrowIfUnusable();
            target = _written;
            kick = TryMakeBusy(); // bytes written with no flush after them are sent now
        }

        if (kick)
        {
            _work.Set();
        }

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
        if (disposing)
        {
            lock (_lock)
            {
                if (_closed)
                {
                    return;
                }

                _closed = true;
            }

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
            lock (_lock)
            {
                if (_failure is null && _sent >= target)
                {
                    return;
                }

                ThrowIfUnusable();
            }
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
            bool kick;
            lock (_lock)
            {
                ThrowIfUnusable();
                int copied = CopyIn(rest.Span);
                if (copied == rest.Length)
                {
                    return;
                }

                rest = rest[copied..];
                kick = TryMakeBusy();
            }

            if (kick)
            {
                _work.Set();
            }
        }
    }

    /// <summary>
    /// The one pump: waits while idle, then sends rounds until nothing is pending. Runs inline in the caller that made
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
                int length;
                lock (_lock)
                {
                    if (_closed)
                    {
                        return;
                    }

                    (_pending, _sending) = (_sending, _pending);
                    length = _pendingLength;
                    _pendingLength = 0;
                }

                try
                {
                    if (length > 0)
                    {
                        await _inner.WriteAsync(_sending.AsMemory(0, length)).ConfigureAwait(false);
                    }

                    await _inner.FlushAsync().ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    lock (_lock)
                    {
                        _failure = exception;
                        _busy = false;
                    }

                    _roundDone.Set();
                    return;
                }

                lock (_lock)
                {
                    // A flush that arrived during the round needs no round of its own when nothing was written after
                    // the round began: the round ended with a flush of everything written before it.
                    _sent += length;
                    more = _pendingLength > 0;
                    _busy = more;
                }

                _roundDone.Set();
            }
        }
    }

    /// <summary>Copies what fits of <paramref name="source"/> after the pending bytes; under the lock.</summary>
    private int CopyIn(ReadOnlySpan<byte> source)
    {
        int copied = Math.Min(source.Length, _pending.Length - _pendingLength);
        source[..copied].CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength += copied;
        _written += copied;
        return copied;
    }

    /// <summary>Under the lock: true if the pump was idle and is now this caller's to wake (after releasing the lock).</summary>
    private bool TryMakeBusy()
    {
        if (_busy)
        {
            return false;
        }

        _busy = true;
        return true;
    }

    private void ThrowIfUnusable()
    {
        if (_failure is { } failure)
        {
            throw new IOException($"the request body failed while sending earlier messages: {failure.Message}", failure);
        }

        ObjectDisposedException.ThrowIf(_closed, this);
    }
}
