using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ShmIpc.Benchmarks.Ring;

/// <summary>
/// A benchmark message: u64 sequence, i64 intended send time, i64 actual send time (Stopwatch ticks, taken before the
/// payload is written, where the C tool stamps), then filler up to the size. The
/// consumer reads every byte in place (a vectorized sum), as a decoder touching every field would.
/// </summary>
internal static class RingMessage
{
    public const int HeaderLength = 24;
    public const int EndType = 1;

    public static void Stamp(Span<byte> payload, long sequence, long intendedSendTimestamp, long actualSendTimestamp)
    {
        BinaryPrimitives.WriteInt64LittleEndian(payload, sequence);
        BinaryPrimitives.WriteInt64LittleEndian(payload[8..], intendedSendTimestamp);
        BinaryPrimitives.WriteInt64LittleEndian(payload[16..], actualSendTimestamp);
    }

    public static long Sequence(ReadOnlySpan<byte> payload) => BinaryPrimitives.ReadInt64LittleEndian(payload);

    public static long IntendedSendTimestamp(ReadOnlySpan<byte> payload) => BinaryPrimitives.ReadInt64LittleEndian(payload[8..]);

    public static long ActualSendTimestamp(ReadOnlySpan<byte> payload) => BinaryPrimitives.ReadInt64LittleEndian(payload[16..]);

    /// <summary>Sum of every 8-byte word (and trailing bytes): reads the whole payload from the mapping.</summary>
    public static ulong Checksum(ReadOnlySpan<byte> payload)
    {
        ReadOnlySpan<Vector256<ulong>> vectors = MemoryMarshal.Cast<byte, Vector256<ulong>>(payload);
        Vector256<ulong> sum = Vector256<ulong>.Zero;
        foreach (Vector256<ulong> vector in vectors)
        {
            sum += vector;
        }

        ulong total = Vector256.Sum(sum);
        foreach (byte value in payload[(vectors.Length * Vector256<byte>.Count)..])
        {
            total += value;
        }

        return total;
    }
}
