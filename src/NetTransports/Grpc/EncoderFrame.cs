using System.Buffers;
using Grpc.Core;

namespace ShmIpc.NetTransports.Grpc;

/// <summary>
/// A frame encoded by the caller's <see cref="FrameEncoder{TState}"/> when gRPC serializes it, straight into the call's
/// buffer (streaming calls, which serialize before the write completes, while the caller's state is still valid).
/// One instance per connection and state type, refilled for every send.
/// </summary>
internal sealed class EncoderFrame<TState> : OutgoingFrame
{
    private FrameEncoder<TState>? _encode;
    private TState? _state;
    private int _payloadLength;

    public void Set(int payloadLength, FrameEncoder<TState> encode, TState state)
    {
        _payloadLength = payloadLength;
        _encode = encode;
        _state = state;
    }

    /// <summary>Drops the caller's state once the send is done: a pooled frame must not keep it alive.</summary>
    public void Clear()
    {
        _encode = null;
        _state = default;
    }

    public override void WriteTo(SerializationContext context)
    {
        FrameEncoder<TState> encode = _encode ?? throw new InvalidOperationException("no frame to encode");
        context.SetPayloadLength(_payloadLength);
        IBufferWriter<byte> writer = context.GetBufferWriter();
        Span<byte> destination = writer.GetSpan(_payloadLength)[.._payloadLength];
        int written = encode(destination, _state!);
        if (written != _payloadLength)
        {
            throw new ArgumentException($"the frame encoder wrote {written} bytes where the send announced exactly {_payloadLength}");
        }

        writer.Advance(written);
        context.Complete();
    }
}
