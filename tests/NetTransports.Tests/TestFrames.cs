using System.Buffers;
using System.Buffers.Binary;

namespace ShmIpc.NetTransports.Tests;

/// <summary>
/// Deterministic test frames: the payload of frame <c>s</c> starts with <c>s</c> (int64), then bytes from a
/// generator seeded with <c>s</c>; its length varies from 8 bytes to a little over 16 KiB. A receiver recomputes
/// the expected hash from the sequence number alone, so content is checked without keeping the frames.
/// </summary>
internal static class TestFrames
{
    public const int MaxPayloadLength = 20_000;

    public static int LengthOf(long sequence) => sequence % 10 == 0 ? 16_392 : 8 + (int)((sequence * 7919) % (MaxPayloadLength - 8));

    public static int Write(Span<byte> destination, long sequence)
    {
        int length = LengthOf(sequence);
        BinaryPrimitives.WriteInt64LittleEndian(destination, sequence);
        new Random((int)sequence).NextBytes(destination[8..length]);
        return length;
    }

    public static byte[] Create(long sequence)
    {
        byte[] payload = new byte[LengthOf(sequence)];
        Write(payload, sequence);
        return payload;
    }

    public static ulong ExpectedHash(long sequence) => Hash(new ReadOnlySequence<byte>(Create(sequence)));

    /// <summary>Whether <paramref name="payload"/> is the frame for the sequence it carries.</summary>
    public static bool IsIntact(in ReadOnlySequence<byte> payload) => Hash(payload) == ExpectedHash(SequenceOf(payload));

    /// <summary>The content fingerprint of a possibly multi-segment payload.</summary>
    public static ulong Hash(in ReadOnlySequence<byte> payload) => Fnv1a64.Hash(payload);

    public static long SequenceOf(in ReadOnlySequence<byte> payload)
    {
        Span<byte> prefix = stackalloc byte[8];
        payload.Slice(0, 8).CopyTo(prefix);
        return BinaryPrimitives.ReadInt64LittleEndian(prefix);
    }
}
