using System.Net.Sockets;

namespace ShmIpc.NetTransports.StreamSockets;

/// <summary>
/// A write-only stream over a socket in non-blocking mode whose writes are send() calls on the caller's thread that
/// complete synchronously; when the kernel's send buffer is full the caller waits in poll(2) on this one socket. The
/// socket so never enters .NET's epoll engine: a registered socket wakes the runtime's epoll thread each time the
/// subscriber's recv() frees send space, and that wake-up is paid inside the subscriber's recv(), on the latency path
/// (docs/benchmarks.md). Under a <see cref="System.IO.Pipelines.PipeWriter"/> a flush is then one send(), as in the C
/// socket floor. The send-side twin of <see cref="BlockingReceiveStream"/>.
/// </summary>
internal sealed class CallerThreadSendStream : Stream
{
    // How long one poll(2) waits before the wait checks its cancellation token and deadline again: the bound on how late
    // a cancelled or timed-out send notices. Only a send that finds the buffer full waits at all.
    private static readonly TimeSpan PollSlice = TimeSpan.FromMilliseconds(20);

    private readonly Socket _socket;
    private long _deadline = long.MaxValue;

    /// <param name="socket">A connected stream socket; this stream puts it in non-blocking mode.</param>
    public CallerThreadSendStream(Socket socket)
    {
        _socket = socket;
        _socket.Blocking = false;
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>
    /// From now on a write that waits for send space longer than <paramref name="timeout"/> in all throws
    /// <see cref="TimeoutException"/>: a last flush must not wait for ever on a subscriber that reads nothing.
    /// </summary>
    public void SetWaitDeadline(TimeSpan timeout) => _deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;

    public override void Write(ReadOnlySpan<byte> buffer) => Send(buffer, CancellationToken.None);

    public override void Write(byte[] buffer, int offset, int count) => Send(buffer.AsSpan(offset, count), CancellationToken.None);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Send(buffer.Span, cancellationToken);
        return default;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Send(buffer.AsSpan(offset, count), cancellationToken);
        return Task.CompletedTask;
    }

    public override void Flush()
    {
    }

    /// <summary>Nothing to flush (every write is already in the kernel); Stream's own would queue a task per flush.</summary>
    public override Task FlushAsync(CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested ? Task.FromCanceled(cancellationToken) : Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void Send(ReadOnlySpan<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            int sent = _socket.Send(data, SocketFlags.None, out SocketError error);
            if (error == SocketError.Success)
            {
                data = data[sent..];
            }
            else if (error == SocketError.WouldBlock)
            {
                WaitForSendSpace(cancellationToken);
            }
            else
            {
                throw new IOException($"send failed: {error}", new SocketException((int)error));
            }
        }
    }

    private void WaitForSendSpace(CancellationToken cancellationToken)
    {
        // poll(2) reports an error or a hang-up as ready too: the send that follows then fails with it.
        while (!_socket.Poll(PollSlice, SelectMode.SelectWrite))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Environment.TickCount64 >= _deadline)
            {
                throw new TimeoutException("no send space before the deadline");
            }
        }
    }
}
