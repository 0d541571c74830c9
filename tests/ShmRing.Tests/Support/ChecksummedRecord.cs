using System.Buffers.Binary;

namespace ShmIpc.ShmRing.Tests.Support;

/// <summary>
/// The record format native-check/ring_check.c writes and verifies: u64 sequence, u64 FNV-1a-64 of the bytes after
/// these 16, then data byte i = (sequence * 31 + i) &amp; 0xFF.
/// </summary>
internal static class ChecksummedRecord
{
    public const int MinLength = 16;

    public static void Fill(Span<byte> payload, ulong sequence)
    {
        Span<byte> data = payload[MinLength..];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (byte)((sequence * 31) + (ulong)i);
        }

        BinaryPrimitives.WriteUInt64LittleEndian(payload, sequence);
        BinaryPrimitives.WriteUInt64LittleEndian(payload[8..], Fnv1a(data));
    }

    public static bool IsValid(ReadOnlySpan<byte> payload, ulong expectedSequence)
        => payload.Length >= MinLength
            && BinaryPrimitives.ReadUInt64LittleEndian(payload) == expectedSequence
            && BinaryPrimitives.ReadUInt64LittleEndian(payload[8..]) == Fnv1a(payload[MinLength..]);

    private static ulong Fnv1a(ReadOnlySpan<byte> data)
    {
        ulong hash = 0xcbf29ce484222325;
        foreach (byte value in data)
        {
            hash = (hash ^ value) * 0x100000001b3;
        }

        return hash;
    }
}
