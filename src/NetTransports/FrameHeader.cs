using System.Buffers;
using System.Buffers.Binary;

namespace ShmIpc.NetTransports;

/// <summary>
/// The 8-byte header in front of every frame on the byte transports (TCP and the HTTP/2 request body):
/// a 4-byte marker, then the payload length in bytes as a little-endian uint32. The marker lets a
/// receiver tell garbage (or a lost frame boundary) from a frame before trusting the length.
/// </summary>
public static class FrameHeader
{
    /// <summary>Header size in bytes.</summary>
    public const int Length = 8;

    /// <summary>The marker, little-endian "SHMF".</summary>
    public const uint Marker = 0x464D4853;

    /// <summary>Writes a header for a payload of <paramref name="payloadLength"/> bytes.</summary>
    public static void Write(Span<byte> destination, int payloadLength)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, Marker);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], (uint)payloadLength);
    }

    /// <summary>
    /// Takes one whole frame off the front of <paramref name="buffer"/>: returns false (buffer untouched)
    /// while the frame is incomplete; on success <paramref name="payload"/> is the frame's payload in place
    /// and <paramref name="buffer"/> starts after it. Throws <see cref="TransportException"/> for a wrong
    /// marker or a payload longer than <paramref name="maxPayloadLength"/>, before waiting for its bytes.
    /// </summary>
    public static bool TryReadFrame(ref ReadOnlySequence<byte> buffer, int maxPayloadLength, out ReadOnlySequence<byte> payload)
    {
        if (buffer.Length < Length)
        {
            payload = default;
            return false;
        }

        // Read the header in place unless it straddles two segments (then its 8 bytes are copied to the stack).
        uint marker;
        uint payloadLength;
        ReadOnlySpan<byte> first = buffer.FirstSpan;
        if (first.Length >= Length)
        {
            marker = BinaryPrimitives.ReadUInt32LittleEndian(first);
            payloadLength = BinaryPrimitives.ReadUInt32LittleEndian(first[4..]);
        }
        else
        {
            Span<byte> straddling = stackalloc byte[Length];
            buffer.Slice(0, Length).CopyTo(straddling);
            marker = BinaryPrimitives.ReadUInt32LittleEndian(straddling);
            payloadLength = BinaryPrimitives.ReadUInt32LittleEndian(straddling[4..]);
        }

        if (marker != Marker)
        {
            throw new TransportException($"frame header marker is 0x{marker:X8}, expected 0x{Marker:X8}: not a frame (garbage or a lost frame boundary)");
        }

        if (payloadLength > (uint)maxPayloadLength)
        {
            throw new TransportException($"frame payload of {payloadLength} bytes exceeds the maximum of {maxPayloadLength} bytes");
        }

        long frameLength = Length + (long)payloadLength;
        if (buffer.Length < frameLength)
        {
            payload = default;
            return false;
        }

        payload = buffer.Slice(Length, payloadLength);
        buffer = buffer.Slice(frameLength);
        return true;
    }
}
