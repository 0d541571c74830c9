using System.Buffers;

namespace ShmIpc.NetTransports.Tests.Interop;

/// <summary>
/// The frames the Node interop tests exchange, the same rule as Interop/node/interop-frames.mjs: frame k's payload is
/// 0 bytes for k = 1, 16,392 for every tenth, else (k * 7919) % 20000; byte i is (k * 131 + i * 7) &amp; 0xFF. Each side
/// sums the FNV-1a (32-bit) hashes of the payloads it saw, so the totals compare whatever order streams arrive in.
/// </summary>
internal static class InteropFrames
{
    public const int MaxPayloadLength = 20_000;

    public static int LengthOf(long k) => k == 1 ? 0 : k % 10 == 0 ? 16_392 : (int)(k * 7919 % 20_000);

    public static int Write(Span<byte> destination, long k)
    {
        int length = LengthOf(k);
        for (int i = 0; i < length; i++)
        {
            destination[i] = (byte)((k * 131) + (i * 7));
        }

        return length;
    }

    /// <summary>The hash sum and byte count of frames 0 to <paramref name="count"/> - 1.</summary>
    public static (uint HashSum, long Bytes) Expected(int count)
    {
        uint sum = 0;
        long bytes = 0;
        byte[] buffer = new byte[MaxPayloadLength];
        for (int k = 0; k < count; k++)
        {
            int length = Write(buffer, k);
            sum += Fnv1a32(buffer.AsSpan(0, length));
            bytes += length;
        }

        return (sum, bytes);
    }

    public static uint Fnv1a32(in ReadOnlySequence<byte> payload)
    {
        uint hash = 0x811C9DC5;
        foreach (ReadOnlyMemory<byte> segment in payload)
        {
            hash = Fnv1a32(segment.Span, hash);
        }

        return hash;
    }

    private static uint Fnv1a32(ReadOnlySpan<byte> bytes, uint hash = 0x811C9DC5)
    {
        foreach (byte value in bytes)
        {
            hash = (hash ^ value) * 0x01000193;
        }

        return hash;
    }
}
