using System.Buffers;
using Grpc.Core;

namespace ShmIpc.NetTransports.Grpc;

/// <summary>
/// A frame encoded into a pooled buffer before its call starts (unary calls: gRPC serializes the request after the
/// send has returned, when the caller may have reused its state). Returned to the pool when the call ends.
/// </summary>
internal sealed class EncodedFrame : OutgoingFrame, IDisposable
{
    private readonly byte[] _buffer;
    private readonly int _length;

    private EncodedFrame(byte[] buffer, int length)
    {
        _buffer = buffer;
        _length = length;
    }

    public static EncodedFrame Encode<TState>(int payloadLength, FrameEncoder<TState> encode, TState state)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(payloadLength);
        int written;
        try
        {
            written = encode(buffer.AsSpan(0, payloadLength), state);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        if (written != payloadLength)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw new ArgumentException($"the frame encoder wrote {written} bytes where the send announced exactly {payloadLength}", nameof(encode));
        }

        return new EncodedFrame(buffer, payloadLength);
    }

    public override void WriteTo(SerializationContext context)
    {
        context.SetPayloadLength(_length);
        IBufferWriter<byte> writer = context.GetBufferWriter();
        _buffer.AsSpan(0, _length).CopyTo(writer.GetSpan(_length));
        writer.Advance(_length);
        context.Complete();
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);
}
