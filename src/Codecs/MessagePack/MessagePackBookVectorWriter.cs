using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ShmIpc.Codecs.MessagePack;

/// <summary>
/// The fast writer's order book with AVX-512 VBMI, on the bet <see cref="MessagePackBookVectorReader"/> makes: a field
/// keeps its width from one side to the next. It keeps the last side's <em>shape</em> (each value's width, so where
/// every header, type byte and value byte goes); a side whose ten values all have the widths of the shape (two compares
/// against each width's least and greatest value) is written with one byte permute of its values, blended with the
/// shape's headers and type bytes, and one 64-byte store: nothing about where the next side goes waits on the values.
/// A side of other widths is walked once to learn its shape. The bytes are exactly <see cref="MessagePackSpanWriter"/>'s
/// (the smallest encoding per value); tests compare them.
/// <para>
/// It takes non-negative values (a positive fixint, a uint 8, 16 or 32); a book with a negative value makes
/// <see cref="TryWrite"/> return 0, and the caller writes it value by value.
/// </para>
/// Keep one in a local for a whole snapshot, created with <c>new()</c>: until it has learnt a shape, no side fits.
/// Unsafe: each side stores <see cref="StoreLength"/> bytes from its start, so the window must hold <see cref="MaxReach"/>
/// from the book's start; the bytes past the book are scratch, as <see cref="MessagePackInstrumentFastWriter"/>'s are.
/// </summary>
internal struct MessagePackBookVectorWriter
{
    /// <summary>The bytes a side's store writes, whatever the side's length.</summary>
    public const int StoreLength = 64;

    /// <summary>How far past the book's start a store may reach: asks start at most a side's longest length in, and store as much.</summary>
    public const int MaxReach = MessagePackBookVectorReader.LongestSide + StoreLength;

    private const int ValuesPerSide = 2 * OrderBookLevels.Count;

    public static bool IsSupported => Avx512Vbmi.IsSupported;

    // Per value lane: the least and the greatest value of its width in the shape.
    private Vector512<int> _least;
    private Vector512<int> _greatest;

    // Per byte of a side: the header or type byte it is, else 0; 0xFF where it is a value's byte instead (a positive
    // fixint's one byte included), and which byte of the values vector (4m + j: value m's j-th least significant).
    private Vector512<byte> _typeBytes;
    private Vector512<byte> _fromValues;
    private Vector512<byte> _sources;

    private int _length;

    /// <summary>A writer that has learnt no shape: no value is at least int.MaxValue and at most int.MinValue.</summary>
    public MessagePackBookVectorWriter()
    {
        _least = Vector512.Create(int.MaxValue);
        _greatest = Vector512.Create(int.MinValue);
    }

    /// <summary>
    /// Writes <paramref name="instrument"/>'s book (bids' array, then asks') at <paramref name="book"/>; returns its
    /// length, or 0 (bytes written there are scratch) if a value is negative.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int TryWrite(ref byte book, in InstrumentSnapshot instrument)
    {
        // Each side's ten ints in lanes 0-9 (lanes 10-15 are not looked at).
        const int Asks = OrderBookVectors.AsksLaneInLast16;
        Vector512<int> bids = OrderBookVectors.LoadFirst16(in instrument);
        Vector512<int> asks = Avx512F.PermuteVar16x32(
            OrderBookVectors.LoadLast16(in instrument),
            Vector512.Create(Asks, Asks + 1, Asks + 2, Asks + 3, Asks + 4, Asks + 5, Asks + 6, Asks + 7, Asks + 8, Asks + 9, 0, 0, 0, 0, 0, 0));
        if (!(Fits(bids) && Fits(asks)))
        {
            // Out of line, so that no vector here is live across a call (the call would spill it on this path too).
            return TryWriteLearning(ref book, bids, asks);
        }

        Bytes(bids).StoreUnsafe(ref book);
        Bytes(asks).StoreUnsafe(ref Unsafe.Add(ref book, _length));
        return 2 * _length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly bool Fits(Vector512<int> values) =>
        ((Vector512.GreaterThanOrEqual(values, _least) & Vector512.LessThanOrEqual(values, _greatest)).ExtractMostSignificantBits()
            & ((1u << ValuesPerSide) - 1)) == (1u << ValuesPerSide) - 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly Vector512<byte> Bytes(Vector512<int> values) =>
        Vector512.ConditionalSelect(_fromValues, Avx512Vbmi.PermuteVar64x8(values.AsByte(), _sources), _typeBytes);

    /// <summary>The book side by side, each shape learnt first if the side does not fit the one this writer knows.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int TryWriteLearning(ref byte book, Vector512<int> bids, Vector512<int> asks)
    {
        if (!TryWriteSideLearning(ref book, bids))
        {
            return 0;
        }

        int bidsLength = _length;
        return TryWriteSideLearning(ref Unsafe.Add(ref book, bidsLength), asks) ? bidsLength + _length : 0;
    }

    private bool TryWriteSideLearning(ref byte side, Vector512<int> values)
    {
        if (!Fits(values) && !TryLearn(values))
        {
            return false;
        }

        Bytes(values).StoreUnsafe(ref side);
        return true;
    }

    /// <summary>Makes the shape of a side of <paramref name="values"/> this writer's; false (the shape kept) if a value is negative.</summary>
    private bool TryLearn(Vector512<int> values)
    {
        var least = default(SideInts);
        var greatest = default(SideInts);
        var typeBytes = default(SideBytes);
        var fromValues = default(SideBytes);
        var sources = default(SideBytes);
        int position = 0;
        typeBytes[position++] = MessagePackSnapshotLayout.LevelsArrayCode;
        for (int value = 0; value < ValuesPerSide; value++)
        {
            if (value % 2 == 0)
            {
                typeBytes[position++] = MessagePackSnapshotLayout.LevelArrayCode;
            }

            int of = values.GetElement(value);
            if (of < 0)
            {
                return false;
            }

            // MessagePackSpanWriter's smallest encoding: a positive fixint, a uint 8, 16 or 32 (code, then big-endian).
            (byte code, int width, int lowest, int highest) = of switch
            {
                <= 0x7F => ((byte)0, 1, 0, 0x7F),
                <= byte.MaxValue => (MessagePackBookVectorReader.UInt8Code, 1, 0x80, byte.MaxValue),
                <= ushort.MaxValue => (MessagePackBookVectorReader.UInt16Code, 2, byte.MaxValue + 1, ushort.MaxValue),
                _ => (MessagePackBookVectorReader.UInt32Code, 4, ushort.MaxValue + 1, int.MaxValue),
            };
            least[value] = lowest;
            greatest[value] = highest;
            if (code != 0)
            {
                typeBytes[position++] = code;
            }

            for (int j = width - 1; j >= 0; j--)
            {
                fromValues[position] = 0xFF;
                sources[position++] = (byte)((4 * value) + j);
            }
        }

        _least = Vector512.LoadUnsafe(ref least[0]);
        _greatest = Vector512.LoadUnsafe(ref greatest[0]);
        _typeBytes = Vector512.LoadUnsafe(ref typeBytes[0]);
        _fromValues = Vector512.LoadUnsafe(ref fromValues[0]);
        _sources = Vector512.LoadUnsafe(ref sources[0]);
        _length = position;
        return true;
    }

    /// <summary>One byte per lane of a side's store, to build a vector of.</summary>
    [InlineArray(StoreLength)]
    private struct SideBytes
    {
        private byte _lane0;
    }

    /// <summary>One int per value lane, to build a vector of.</summary>
    [InlineArray(StoreLength / sizeof(int))]
    private struct SideInts
    {
        private int _lane0;
    }
}
