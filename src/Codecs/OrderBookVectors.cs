using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ShmIpc.Codecs;

/// <summary>
/// An instrument's order book as vectors, for the vector book readers and writers. The book is twenty ints, bids'
/// (price, quantity) levels then asks' (<see cref="InstrumentSnapshotLayout.AsksOffset"/>): it goes in with two
/// stores (sixteen ints, then four) from one vector per side, each side's ten ints in lanes 0-9 in
/// <see cref="PriceLevel"/>'s order, and comes out with two loads that stay inside the instrument: ints 0-15 (bids
/// from lane 0) and ints 4-19 (asks from lane <see cref="AsksLaneInLast16"/>).
/// Callers check <see cref="Avx512F"/> (every AVX-512 reader and writer does: its own instructions need more).
/// </summary>
internal static class OrderBookVectors
{
    /// <summary>The lane of asks' first int in <see cref="LoadLast16"/>.</summary>
    public const int AsksLaneInLast16 = (2 * OrderBookLevels.Count) - LastLoadStart;

    // The book's ints from which the second load starts: its last sixteen.
    private const int LastLoadStart = (4 * OrderBookLevels.Count) - 16;

    /// <summary>The book's ints 0-15: bids' ten in lanes 0-9, asks' first six after them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> LoadFirst16(in InstrumentSnapshot instrument) =>
        Vector512.LoadUnsafe(ref Unsafe.As<OrderBookLevels, int>(ref Unsafe.AsRef(in instrument.Bids)));

    /// <summary>The book's ints 4-19: bids' last six, then asks' ten from lane <see cref="AsksLaneInLast16"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> LoadLast16(in InstrumentSnapshot instrument) =>
        Vector512.LoadUnsafe(ref Unsafe.Add(ref Unsafe.As<OrderBookLevels, int>(ref Unsafe.AsRef(in instrument.Bids)), LastLoadStart));

    // The first store's ints; the second stores the book's other four (a book is 2 sides x 5 levels x 2 ints = 20).
    private const int FirstStoreInts = 16;

    /// <summary>Stores both sides' vectors as the book of <paramref name="instrument"/>: its ints 0-15, then 16-19.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<int> bids, Vector512<int> asks, ref InstrumentSnapshot instrument)
    {
        ref int first = ref Unsafe.As<OrderBookLevels, int>(ref instrument.Bids);
        First16(bids, asks).StoreUnsafe(ref first);
        Last4(asks).StoreUnsafe(ref Unsafe.Add(ref first, FirstStoreInts));
    }

    /// <summary>The book's ints 0-15 from the two sides' vectors: bids' ten (lanes 0-9), then asks' first six.</summary>
    // The controls are written here, not as static fields: a Vector512.Create of constants is always a constant to the
    // JIT, a static readonly field of another type only once that type is initialised.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> First16(Vector512<int> bids, Vector512<int> asks) =>
        Avx512F.PermuteVar16x32x2(bids, Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 17, 18, 19, 20, 21), asks);

    /// <summary>The book's ints 16-19 from asks' vector: its lanes 6-9.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Last4(Vector512<int> asks) =>
        Avx512F.PermuteVar16x32(asks, Vector512.Create(6, 7, 8, 9, 6, 7, 8, 9, 6, 7, 8, 9, 6, 7, 8, 9)).GetLower().GetLower();
}
