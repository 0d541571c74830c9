using System.Net.Sockets;

namespace ShmIpc.NetTransports.StreamSockets;

/// <summary>
/// A read-only stream whose async reads are blocking recv() calls that complete synchronously. Under a
/// <see cref="System.IO.Pipelines.PipeReader"/> on a dedicated thread, the whole receive loop then runs on
/// that thread, blocked in the kernel between messages: one wake-up per message, as in the C socket floor,
/// instead of epoll thread + thread-pool worker. Shutting the socket down makes the blocked recv() return 0.
/// </summary>
internal sealed class BlockingReceiveStream(Socket socket) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer) => socket.Receive(buffer, SocketFlags.None);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<int>(Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
