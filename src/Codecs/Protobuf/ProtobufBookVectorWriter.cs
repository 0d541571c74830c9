using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static ShmIpc.Codecs.Protobuf.ProtobufWireFormat;

namespace ShmIpc.Codecs.Protobuf;

/// <summary>
/// The fast writer's order book with AVX-512 (VBMI2, VBMI and CD): one side (its price field, then its quantity field,
/// both packed) from one vector, no value at a time, the inverse of <see cref="ProtobufBookVectorReader"/>. A permute
/// puts the side's values in wire order, one per 32-bit lane, with a lane for each field's tag and length before its five
/// values; one multishift spreads each value into its 7-bit groups, its leading zeros give the bytes it takes (and so
/// its continuation bits), and one compress of the bytes each lane uses packs the side. The two lengths are the counts
/// of the bytes kept for each field's values, stored after the side's one 64-byte store. The bytes are exactly
/// <see cref="ProtobufSpanWriter"/>'s and Google.Protobuf's; tests compare them.
/// <para>
/// It takes values below 2^28 (at most four bytes: the prices and quantities of any real book); a book with a larger
/// or a negative one makes <see cref="TryWrite"/> return 0, and the caller writes it field by field.
/// </para>
/// Unsafe: each side stores <see cref="StoreLength"/> bytes from its start, so the window must hold
/// <see cref="MaxReach"/> from the book's start; the bytes past the book are scratch, as the fast writer's are.
/// </summary>
internal static class ProtobufBookVectorWriter
{
    /// <summary>The bytes a side's store writes, whatever the side's length.</summary>
    public const int StoreLength = 64;

    /// <summary>How far past the book's start a store may reach: asks start at most a side's longest length in, and store as much.</summary>
    public const int MaxReach = ProtobufBookVectorReader.LongestSide + StoreLength;

    public static bool IsSupported => Avx512Vbmi2.IsSupported && Avx512Vbmi.IsSupported && Avx512CD.IsSupported;

    // The side's lanes: 0 the price field's tag and length, 1-5 its values, 6 the quantity field's, 7-11 its values.
    private const int PricesLane = 1;
    private const int QuantitiesLane = 7;
    private const ulong PriceBytes = ((1UL << (4 * OrderBookLevels.Count)) - 1) << (4 * PricesLane);
    private const ulong QuantityBytes = ((1UL << (4 * OrderBookLevels.Count)) - 1) << (4 * QuantitiesLane);

    /// <summary>
    /// Writes <paramref name="instrument"/>'s book (bids' two fields, then asks') at <paramref name="book"/>; returns
    /// its length, or 0 (bytes written there are scratch) if a value takes more than four bytes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int TryWrite(ref byte book, in InstrumentSnapshot instrument)
    {
        // Each side's values in wire order: prices in lanes 1-5, quantities in lanes 7-11 (PriceLevel order interleaves them).
        const int Asks = OrderBookVectors.AsksLaneInLast16;
        Vector512<int> bids = Avx512F.PermuteVar16x32(OrderBookVectors.LoadFirst16(in instrument), Vector512.Create(0, 0, 2, 4, 6, 8, 0, 1, 3, 5, 7, 9, 0, 0, 0, 0));
        Vector512<int> asks = Avx512F.PermuteVar16x32(
            OrderBookVectors.LoadLast16(in instrument),
            Vector512.Create(0, Asks, Asks + 2, Asks + 4, Asks + 6, Asks + 8, 0, Asks + 1, Asks + 3, Asks + 5, Asks + 7, Asks + 9, 0, 0, 0, 0));
        if (!(AreShort(bids) && AreShort(asks)))
        {
            return 0;
        }

        int bidsLength = WriteSide(ref book, bids, PackedTag(BidPricesField), PackedTag(BidQuantitiesField));
        return bidsLength + WriteSide(ref Unsafe.Add(ref book, bidsLength), asks, PackedTag(AskPricesField), PackedTag(AskQuantitiesField));
    }

    /// <summary>Every value (lanes 1-5 and 7-11) below 2^28: a negative int32 is above it as a uint.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool AreShort(Vector512<int> side) =>
        (Vector512.GreaterThanOrEqual(side.AsUInt32(), Vector512.Create(1u << 28)).ExtractMostSignificantBits() & 0b_1111_1011_1110) == 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int WriteSide(ref byte side, Vector512<int> values, byte priceTag, byte quantityTag)
    {
        // Each value's 7-bit groups one per byte (byte k from bit 7k of its lane; the bit above each group masked off).
        Vector512<byte> groups = Avx512Vbmi.MultiShift(
            Vector512.Create(0x352E2720150E0700UL).AsByte(), values.AsUInt64()) & Vector512.Create((byte)0x7F);

        // The bytes it takes (1 to 4 below 2^28), as its lane's low bytes all ones: all ones shifted right by 32 - 8 x
        // that; the continuation bit on each of them but the last.
        Vector512<uint> usedShift = Vector512.Create(32u) - Vector512.ShiftLeft(ProtobufVarintBits.Int32Bytes(values.AsUInt32()), 3);
        Vector512<uint> used = Avx512F.ShiftRightLogicalVariable(Vector512<uint>.AllBitsSet, usedShift);
        Vector512<uint> bytes = groups.AsUInt32() | (Vector512.ShiftRightLogical(used, 8) & Vector512.Create(0x808080u));

        // The tag lanes: the tag, then a placeholder for the length (stored below); the lanes past the quantities: none.
        Vector512<uint> valueLanes = Vector512.Create(0, ~0u, ~0u, ~0u, ~0u, ~0u, 0, ~0u, ~0u, ~0u, ~0u, ~0u, 0, 0, 0, 0);
        bytes = (bytes & valueLanes) | Vector512.Create((uint)priceTag, 0, 0, 0, 0, 0, quantityTag, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        used = (used & valueLanes) | Vector512.Create(0xFFFFu, 0, 0, 0, 0, 0, 0xFFFF, 0, 0, 0, 0, 0, 0, 0, 0, 0);

        Vector512<byte> keep = used.AsByte();
        Avx512Vbmi2.Compress(Vector512<byte>.Zero, keep, bytes.AsByte()).StoreUnsafe(ref side);
        ulong kept = keep.ExtractMostSignificantBits();
        int priceData = BitOperations.PopCount(kept & PriceBytes);
        int quantityData = BitOperations.PopCount(kept & QuantityBytes);
        Unsafe.Add(ref side, 1) = (byte)priceData;
        Unsafe.Add(ref side, 3 + priceData) = (byte)quantityData;
        return 4 + priceData + quantityData;
    }
}
