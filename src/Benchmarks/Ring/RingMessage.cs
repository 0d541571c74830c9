using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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

    /// <summary>Sum of every 8-byte word (and trailing bytes): reads the whole payload in place from the mapping.</summary>
    /// <remarks>
    /// Each 64-byte line is requested 256 bytes ahead with a non-temporal prefetch. The lines were just written by the
    /// producer's core; a plain vector loop pulls them across more slowly than the C consumer's rep-movsb copy-out,
    /// and this prefetch brings it level (prefetch-T0 or a longer distance did worse: docs/benchmarks.md, "After the
    /// consumer's non-temporal prefetch"). Optimized from its first call: unoptimized (tier-0) vector code is many times slower.
    /// Unsafe: the prefetch takes an address; it stays inside the payload.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe ulong Checksum(ReadOnlySpan<byte> payload)
    {
        const int LineLength = 64;
        const int PrefetchDistance = 4 * LineLength;
        ulong total = 0;
        fixed (byte* start = payload)
        {
            int lines = payload.Length / LineLength;
            int prefetchedLines = Sse.IsSupported ? Math.Max(0, lines - (PrefetchDistance / LineLength)) : 0;
            Vector256<ulong> sum = Vector256<ulong>.Zero;
            for (int line = 0; line < lines; line++)
            {
                byte* address = start + (line * LineLength);
                if (line < prefetchedLines)
                {
                    // Only inside the payload: past its end is the next record's header, which the producer is about
                    // to write (a copy in our cache would cost it an invalidation).
                    Sse.PrefetchNonTemporal(address + PrefetchDistance);
                }

                sum += Vector256.Load((ulong*)address);
                sum += Vector256.Load((ulong*)(address + 32));
            }

            total = Vector256.Sum(sum);
            for (int index = lines * LineLength; index < payload.Length; index++)
            {
                total += start[index];
            }
        }

        return total;
    }
}
