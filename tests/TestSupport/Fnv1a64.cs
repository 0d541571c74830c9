using System.Buffers;

namespace ShmIpc.TestSupport;

/// <summary>64-bit FNV-1a: the content fingerprint the tests compare sent and received messages by (and native-check's record checksum).</summary>
public static class Fnv1a64
{
    public const ulong OffsetBasis = 14695981039346656037UL;

    private const ulong Prime = 1099511628211UL;

    /// <summary>Folds one more byte into <paramref name="hash"/>.</summary>
    public static ulong Append(ulong hash, byte value) => (hash ^ value) * Prime;

    /// <summary>Folds one more 64-bit value into <paramref name="hash"/> as a single step (not byte by byte).</summary>
    public static ulong Append(ulong hash, long value) => (hash ^ (ulong)value) * Prime;

    public static ulong Hash(ReadOnlySpan<byte> data)
    {
        ulong hash = OffsetBasis;
        foreach (byte value in data)
        {
            hash = Append(hash, value);
        }

        return hash;
    }

    public static ulong Hash(in ReadOnlySequence<byte> data)
    {
        ulong hash = OffsetBasis;
        foreach (ReadOnlyMemory<byte> segment in data)
        {
            foreach (byte value in segment.Span)
            {
                hash = Append(hash, value);
            }
        }

        return hash;
    }
}
