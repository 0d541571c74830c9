using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ShmIpc.Codecs.Protobuf;

/// <summary>
/// A varint's 7-bit groups packed into a value and spread back out, for varints of up to 8 bytes held in one
/// little-endian word: with one BMI2 bit extract / deposit where the CPU has it, else with three shift-and-mask steps.
/// Both are branch-free, so the fast reader and writer never branch on a value's bits to move them. Also the bytes a
/// varint takes: from its end bit (read), from its leading zeros (write and measure).
/// </summary>
internal static class ProtobufVarintBits
{
    private const ulong GroupBits = 0x7F7F7F7F7F7F7F7FUL;

    /// <summary>The value of the varint in the low bytes of <paramref name="word"/> (bytes past its end already cleared).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Pack(ulong word)
    {
        if (Bmi2.X64.IsSupported)
        {
            return Bmi2.X64.ParallelBitExtract(word, GroupBits);
        }

        // 7-bit groups to 14 bits per 16, 28 per 32, 56 per 64.
        ulong x = word & GroupBits;
        x = (x & 0x007F007F007F007FUL) | ((x & 0x7F007F007F007F00UL) >> 1);
        x = (x & 0x00003FFF00003FFFUL) | ((x & 0x3FFF00003FFF0000UL) >> 2);
        return (x & 0x000000000FFFFFFFUL) | ((x & 0x0FFFFFFF00000000UL) >> 4);
    }

    /// <summary>
    /// The value of the varint of <paramref name="bytes"/> (1..8) bytes at the bottom of <paramref name="word"/>, the
    /// bytes after it still there: with BMI2 one extract and one zero-high-bits, else a mask first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Pack(ulong word, int bytes)
    {
        if (Bmi2.X64.IsSupported)
        {
            return Bmi2.X64.ZeroHighBits(Bmi2.X64.ParallelBitExtract(word, GroupBits), (ulong)(7 * bytes));
        }

        return Pack(word & (ulong.MaxValue >> (64 - (8 * bytes))));
    }

    /// <summary>
    /// The value of the varint at the bottom of <paramref name="word"/> whose last byte's top bit is bit
    /// <paramref name="endBit"/> (7, 15, ..., 63; 64 takes all eight bytes), the bytes after it still there: with BMI2
    /// one zero-high-bits of the group mask and one extract.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong PackBelow(ulong word, int endBit)
    {
        if (Bmi2.X64.IsSupported)
        {
            return Bmi2.X64.ParallelBitExtract(word, Bmi2.X64.ZeroHighBits(GroupBits, (ulong)endBit));
        }

        return Pack(word, BytesThroughEndBit(endBit));
    }

    /// <summary>
    /// The bytes up to and including the one whose top bit is bit <paramref name="endBit"/> (7, 15, ..., 63): a varint's
    /// length; 8 for 64 (none of eight ends it), so a step by it never passes one load.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int BytesThroughEndBit(int endBit) => (endBit + 1) >> 3;

    /// <summary>
    /// Each int32 lane's varint bytes (an int32 field's value; AVX-512 CD), looked up by the leading zeros of value | 1
    /// (so a zero counts as a one: 31): 0 is a negative int32 (sign-extended to 64 bits: 10 bytes), 1-3 five bytes,
    /// 4-10 four, 11-17 three, 18-24 two, 25-31 one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> Int32Bytes(Vector512<uint> values) =>
        Avx512F.PermuteVar16x32x2(
            Vector512.Create(10u, 5, 5, 5, 4, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3, 3),
            Avx512CD.LeadingZeroCount(values | Vector512<uint>.One),
            Vector512.Create(3u, 3, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1));

    /// <summary>The low 56 bits of <paramref name="value"/> as eight 7-bit groups, one per byte, top bits clear.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Spread(ulong value)
    {
        if (Bmi2.X64.IsSupported)
        {
            return Bmi2.X64.ParallelBitDeposit(value, GroupBits);
        }

        // The reverse of Pack's steps: 56 bits to 28 per 32, 14 per 16, 7 per 8.
        ulong x = value & 0x00FFFFFFFFFFFFFFUL;
        x = (x & 0x000000000FFFFFFFUL) | ((x << 4) & 0x0FFFFFFF00000000UL);
        x = (x & 0x00003FFF00003FFFUL) | ((x << 2) & 0x3FFF00003FFF0000UL);
        return (x & 0x007F007F007F007FUL) | ((x << 1) & 0x7F007F007F007F00UL);
    }
}
