using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ShmIpc.Codecs;

/// <summary>
/// Stores an order book that a vector reader decoded, one side per vector, into an instrument: each side's ten ints
/// in lanes 0-9 in <see cref="PriceLevel"/>'s order (price 0, quantity 0, price 1, ...). Asks follow bids in the
/// instrument (<see cref="InstrumentSnapshotLayout.AsksOffset"/>), so the twenty ints go in two stores: sixteen, then four.
/// Callers check <see cref="Avx512F"/> (every AVX-512 reader does: its own instructions need more).
/// </summary>
internal static class OrderBookVectorStore
{
    // The first store's ints; the second stores the book's other four (a book is 2 sides x 5 levels x 2 ints = 20).
    private const int FirstStoreInts = 16;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<int> bids, Vector512<int> asks, ref InstrumentSnapshot instrument)
    {
        // Lanes 0-15 of the first store: bids' 0-9, then asks' 0-5 (lanes 16-21 of the pair); then asks' 6-9 alone.
        // The controls are written here, not as static fields: a Vector512.Create of constants is always a constant
        // to the JIT, a static readonly field of another type only once that type is initialised.
        ref int first = ref Unsafe.As<OrderBookLevels, int>(ref instrument.Bids);
        Avx512F.PermuteVar16x32x2(bids, Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 17, 18, 19, 20, 21), asks).StoreUnsafe(ref first);
        Avx512F.PermuteVar16x32(asks, Vector512.Create(6, 7, 8, 9, 6, 7, 8, 9, 6, 7, 8, 9, 6, 7, 8, 9)).GetLower().GetLower()
            .StoreUnsafe(ref Unsafe.Add(ref first, FirstStoreInts));
    }
}
