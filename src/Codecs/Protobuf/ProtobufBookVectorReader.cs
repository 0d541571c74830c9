using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static ShmIpc.Codecs.Protobuf.ProtobufWireFormat;

namespace ShmIpc.Codecs.Protobuf;

/// <summary>
/// The fast path's order book with AVX-512 (VBMI and VBMI2): one side of the book (its price field, then its quantity
/// field, both packed) from one 64-byte vector, no value at a time. Every byte of a side is the last or not the last
/// byte of a varint (a tag and a length are one-byte varints too), so the side is fourteen varints in a row: tag,
/// length, five prices, tag, length, five quantities. One compress of the lane numbers whose top bit is clear gives
/// the fourteen ends; a byte permute gathers each value's bytes into its own 32-bit lane, in <see cref="PriceLevel"/>'s
/// order (price, quantity, price, ...); two shifts and a multiply-add join the 7-bit groups.
/// <para>
/// A side is taken only if its tags are the expected one-byte tags, each length byte equals the bytes of its five
/// values, and every value takes at most four bytes (below 2^28: the prices and quantities of any real book; a
/// negative int32 takes ten). Otherwise <see cref="TryRead"/> returns 0 and the caller reads the book value by value:
/// this path only ever takes bytes the scalar path decodes to the same values.
/// </para>
/// Unsafe: each side loads <see cref="LoadLength"/> bytes from its start; the caller's window must hold <see cref="MaxReach"/>.
/// </summary>
internal static class ProtobufBookVectorReader
{
    /// <summary>The bytes a side's load reads, whatever the side's length: its start plus these must lie in the window.</summary>
    public const int LoadLength = 64;

    /// <summary>How far past the book's start a load may reach: asks start at most <see cref="LongestSide"/> bytes in, and load as much.</summary>
    public const int MaxReach = LongestSide + LoadLength;

    /// <summary>The longest side taken (and written by <see cref="ProtobufBookVectorWriter"/>): two fields of a tag, a one-byte length and five values of four bytes.</summary>
    public const int LongestSide = 2 * (2 + MaxFieldData);

    private const int MaxFieldData = OrderBookLevels.Count * MaxValueBytes;

    /// <summary>Varints in one side: two fields of a tag, a length and <see cref="OrderBookLevels.Count"/> values.</summary>
    private const int SideVarints = 2 * (2 + OrderBookLevels.Count);

    /// <summary>Most bytes a value may take here: four 7-bit groups, joined within one 32-bit lane.</summary>
    private const int MaxValueBytes = 4;

    public static bool IsSupported => Avx512Vbmi2.IsSupported && Avx512Vbmi.IsSupported;

    // For each byte lane i: lane i - 1 (lane 0 reads lane 0 and is then cleared): the varint before a lane's.
    private static readonly Vector512<byte> PreviousLane = Vector512.Create(
        Vector256.Create((byte)0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30),
        Vector256.Create((byte)31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62));

    private static readonly Vector512<byte> AllButFirstLane = Vector512.Create(
        Vector256.Create((byte)0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF),
        Vector256<byte>.AllBitsSet);

    // Byte lanes 0-3: the varints of the two tags, then of the two lengths.
    private static readonly Vector512<byte> HeaderVarints = Vector128.Create((byte)0, 7, 1, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0).ToVector256().ToVector512();

    // Byte lanes 2-3: each field's last varint and its length's varint, whose ends are the field's data length apart
    // (lanes 0-1 read the same lane in both, so their difference is 0).
    private static readonly Vector512<byte> DataLastVarints = Vector128.Create((byte)0, 0, 6, 13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0).ToVector256().ToVector512();
    private static readonly Vector512<byte> LengthVarints = Vector128.Create((byte)0, 0, 1, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0).ToVector256().ToVector512();

    // For 32-bit lane k, in PriceLevel order (price 0, quantity 0, price 1, ...), its 4 byte lanes: the varint of the
    // value (prices are varints 2-6, quantities 9-13); lanes 10-15 repeat the last one and are never used.
    private static readonly Vector512<byte> ValueVarints = Vector512.Create(
        Vector256.Create((byte)2, 2, 2, 2, 9, 9, 9, 9, 3, 3, 3, 3, 10, 10, 10, 10, 4, 4, 4, 4, 11, 11, 11, 11, 5, 5, 5, 5, 12, 12, 12, 12),
        Vector256.Create((byte)6, 6, 6, 6, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13, 13));

    // The bits of a varint's length - 1 that say it is longer than MaxValueBytes (a power of two: checked when compiled).
    private const byte TooLongBits = unchecked((byte)~(MaxValueBytes - 1));
    private const uint MaxValueBytesIsAPowerOfTwo = 0 - (uint)(MaxValueBytes & (MaxValueBytes - 1));

    // TooLongBits in the byte lanes of a side's varints (0-13), one per varint.
    private static readonly Vector512<byte> TooLongInSideVarints =
        Vector512.LessThan(Vector512<byte>.Indices, Vector512.Create((byte)SideVarints)) & Vector512.Create(TooLongBits);

    // The byte lanes of the header: HeaderVarints' four (the two tags, the two lengths).
    private static readonly Vector512<byte> HeaderLanes = Vector512.LessThan(Vector512<byte>.Indices, Vector512.Create((byte)4));

    private static readonly Vector512<byte> ByteInLane = Vector512.Create(0x03020100u).AsByte();

    // Joins a lane's two 16-bit halves of 14 bits each: low + high * 2^14 (vpmaddwd).
    private static readonly Vector512<short> JoinHalves = Vector512.Create(1 | (1 << 30)).AsInt16();

    /// <summary>
    /// Reads the book at <paramref name="book"/> (bids' two fields, then asks'): each side's ten ints in lanes 0-9 of
    /// <paramref name="bids"/> and <paramref name="asks"/> in <see cref="PriceLevel"/>'s order, lanes 10-15 of no use;
    /// returns the bytes it took, or 0 if it is not in the shape above (the vectors are then of no use).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int TryRead(ref byte book, out Vector512<int> bids, out Vector512<int> asks)
    {
        // Where asks start, from bids' two length bytes (each capped at the most a side in the shape takes, so the load
        // stays in the window): two byte loads, not the wait for bids' vector. ReadSide checks the lengths against the
        // values, so in the shape this is bids' length.
        int priceData = Math.Min((int)Unsafe.Add(ref book, 1), MaxFieldData);
        int quantityData = Math.Min((int)Unsafe.Add(ref book, 3 + priceData), MaxFieldData);
        int asksStart = 4 + priceData + quantityData;
        (int bidsLength, Vector512<byte> bidsOff) = ReadSide(ref book, PackedTag(BidPricesField), PackedTag(BidQuantitiesField), out bids);
        (int asksLength, Vector512<byte> asksOff) = ReadSide(ref Unsafe.Add(ref book, asksStart), PackedTag(AskPricesField), PackedTag(AskQuantitiesField), out asks);
        return (bidsOff | asksOff) == Vector512<byte>.Zero ? bidsLength + asksLength : 0;
    }

    /// <summary>
    /// One side at <paramref name="side"/>: its length, and a vector that is zero if the side is in the shape (nonzero
    /// lanes say where it is not), so that both sides' checks end in one test.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (int Length, Vector512<byte> Off) ReadSide(ref byte side, byte priceTag, byte quantityTag, out Vector512<int> values)
    {
        Vector512<byte> bytes = Vector512.LoadUnsafe(ref side);
        // A varint's last byte has its top bit clear.
        Vector512<byte> isLast = Vector512.LessThan(bytes, Vector512.Create((byte)0x80));
        Vector512<byte> ends = Avx512Vbmi2.Compress(Vector512<byte>.Zero, isLast, Vector512<byte>.Indices);
        Vector512<byte> starts = Avx512Vbmi.PermuteVar64x8(ends + Vector512<byte>.One, PreviousLane) & AllButFirstLane;
        Vector512<byte> lastByte = ends - starts; // a varint's length - 1
        // The 14th end, at byte 13 or later.
        int length = ends.GetElement(SideVarints - 1) + 1;

        // A varint longer than four bytes among the fourteen: off the shape. So are fewer than fourteen in the load: the
        // compress fills the lanes past the last end with 0, and such a lane's "length" (0 less the start after the end
        // before it) wraps to 192 (255 - 63) or more, which has TooLongBits set.
        Vector512<byte> off = lastByte & TooLongInSideVarints;

        // The tags and lengths, each read from its varint's first byte (so a longer form of either is off the shape too),
        // against the tags and the data lengths the ends give.
        Vector512<byte> header = Avx512Vbmi.PermuteVar64x8(bytes, Avx512Vbmi.PermuteVar64x8(starts, HeaderVarints));
        Vector512<byte> expected = (Avx512Vbmi.PermuteVar64x8(ends, DataLastVarints) - Avx512Vbmi.PermuteVar64x8(ends, LengthVarints))
            | Vector128.Create(priceTag, quantityTag, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0).ToVector256().ToVector512();
        off |= (header ^ expected) & HeaderLanes;

        // Each value's bytes into its 32-bit lane, the bytes past its end cleared (the continuation bits go below).
        Vector512<byte> valueStarts = Avx512Vbmi.PermuteVar64x8(starts, ValueVarints);
        Vector512<byte> valueLastByte = Avx512Vbmi.PermuteVar64x8(lastByte, ValueVarints);
        Vector512<byte> groups = Vector512.ConditionalSelect(
            Vector512.LessThanOrEqual(ByteInLane, valueLastByte), Avx512Vbmi.PermuteVar64x8(bytes, valueStarts + ByteInLane), Vector512<byte>.Zero);
        // 7-bit groups to 14 bits per 16 (each byte's top bit masked off), then the two 14-bit halves joined.
        Vector512<ushort> pairs = groups.AsUInt16();
        pairs = (pairs & Vector512.Create((ushort)0x007F)) | (Vector512.ShiftRightLogical(pairs, 1) & Vector512.Create((ushort)0x3F80));
        values = Avx512BW.MultiplyAddAdjacent(pairs.AsInt16(), JoinHalves);
        return (length, off);
    }
}
