using System.IO.Pipelines;

namespace ShmIpc.NetTransports;

/// <summary>
/// Encodes one length-prefixed frame straight into a <see cref="PipeWriter"/>'s buffer (header, then the payload
/// the encoder writes in place) without flushing: the TCP connection and the HTTP/2 streaming body share it.
/// </summary>
internal static class FrameWriter
{
    /// <summary>Writes the frame and returns the bytes now buffered and not yet flushed (this frame included).</summary>
    public static long Write<TState>(PipeWriter writer, int maxPayloadLength, FrameEncoder<TState> encode, TState state)
    {
        Span<byte> frame = writer.GetSpan(FrameHeader.Length + maxPayloadLength);
        int written = encode(frame.Slice(FrameHeader.Length, maxPayloadLength), state);
        if ((uint)written > (uint)maxPayloadLength)
        {
            throw new ArgumentOutOfRangeException(nameof(encode), written, $"the encoder reported {written} bytes written into a {maxPayloadLength}-byte payload span");
        }

        FrameHeader.Write(frame, written);
        writer.Advance(FrameHeader.Length + written);
        return writer.CanGetUnflushedBytes ? writer.UnflushedBytes : long.MaxValue;
    }
}
