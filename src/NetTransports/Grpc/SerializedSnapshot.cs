using System.Buffers;
using Google.Protobuf;
using ShmIpc.Codecs.Protobuf;

namespace ShmIpc.NetTransports.Grpc;

/// <summary>
/// A <see cref="Snapshot"/> already encoded into a pooled buffer (unary mode): the call may serialize its request
/// after the send has returned, when the caller has already reused its Snapshot, so the bytes are taken first.
/// </summary>
internal sealed class SerializedSnapshot : IDisposable
{
    private SerializedSnapshot(byte[] buffer, int length)
    {
        Buffer = buffer;
        Length = length;
    }

    public byte[] Buffer { get; }

    public int Length { get; }

    public static SerializedSnapshot Encode(Snapshot snapshot)
    {
        int length = snapshot.CalculateSize();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
        snapshot.WriteTo(buffer.AsSpan(0, length));
        return new SerializedSnapshot(buffer, length);
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(Buffer);
}
