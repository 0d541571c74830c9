using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ShmIpc.Codecs.MessagePack;

/// <summary>
/// The unchecked path's order book with AVX-512 VBMI: one side (<c>array(5)</c> of <c>array(2) [price, quantity]</c>)
/// from one 64-byte vector, not value by value, on the bet the scalar walk's branches already make: a field keeps its
/// width from one side to the next (a price is a uint 32, a quantity a uint 16). Where a MessagePack value ends depends
/// on its type byte, so a side's walk is a chain of sixteen steps; this reader instead keeps the last side's
/// <em>shape</em> (where its headers and type bytes are, and what they are) and checks a new side against it with one
/// masked compare. If the side has that shape, one byte permute gathers each value's big-endian bytes into its own
/// 32-bit lane, reversed, in <see cref="PriceLevel"/>'s order, and the side's length is the shape's: nothing about
/// where the next side starts waits on the bytes. A side of another shape is walked once to learn it.
/// <para>
/// A shape is learnt only if its headers are the fixarray headers writers emit (<c>0x95</c>, then <c>0x92</c> per
/// level) and every value is a positive fixint, a uint 8, a uint 16 or a uint 32: what any non-negative int32 is
/// written as. A uint 32 above <see cref="int.MaxValue"/> is checked per side. Anything else (a negative value, a
/// signed or 64-bit code, a nil, an array 16 header) makes <see cref="TryRead"/> return 0, and the caller reads the
/// book value by value: this path only ever takes bytes the scalar path decodes to the same values.
/// </para>
/// Keep one in a local for a whole snapshot (its shape carries from instrument to instrument), created with
/// <c>new()</c>: until it has learnt a shape, it matches no side.
/// Unsafe: each side loads <see cref="LoadLength"/> bytes from its start; the caller's window must hold <see cref="MaxReach"/>.
/// </summary>
internal struct MessagePackBookVectorReader
{
    /// <summary>The bytes a side's load reads, whatever the side's length: its start plus these must lie in the window.</summary>
    public const int LoadLength = 64;

    /// <summary>The longest side a shape can have: five levels of a header and two uint 32s, after the side's header.</summary>
    public const int LongestSide = 1 + (OrderBookLevels.Count * (1 + (2 * LongestValue)));

    /// <summary>How far past the book's start a load may reach: asks start at most <see cref="LongestSide"/> in, and load as much.</summary>
    public const int MaxReach = LongestSide + LoadLength;

    /// <summary>A uint 32: its code and four bytes, the longest value taken.</summary>
    private const int LongestValue = 5;

    private const int ValuesPerSide = 2 * OrderBookLevels.Count;

    private const byte PositiveFixIntMax = 0x7F;

    // The type codes a shape takes (MessagePackBookVectorWriter writes them too).
    internal const byte UInt8Code = 0xCC;
    internal const byte UInt16Code = 0xCD;
    internal const byte UInt32Code = 0xCE;

    public static bool IsSupported => Avx512Vbmi.IsSupported;

    // Per byte of a side: 0xFF at a header or a value's type byte, 0x80 at a positive fixint (only its top bit is its
    // type; the rest is its value), 0 elsewhere; and what those bits must be.
    private Vector512<byte> _typeMask;
    private Vector512<byte> _typeBytes;

    // Per byte lane 4m + j (value m: level m / 2, its price if m is even, its quantity if odd): the byte of the side
    // that is the value's j-th least significant, and 0xFF if the value has that byte, 0 past its width.
    private Vector512<byte> _sources;
    private Vector512<byte> _keep;

    private int _length;

    /// <summary>A reader that has learnt no shape: a type byte that must be 0xFF where the mask keeps none matches no side.</summary>
    public MessagePackBookVectorReader()
    {
        _typeBytes = Vector512<byte>.AllBitsSet;
    }

    /// <summary>
    /// Reads the book at <paramref name="book"/> (bids' array, then asks') into <paramref name="sink"/>
    /// (<see cref="ISnapshotValueSink.AddBook"/>); returns the bytes it took, or 0 (the sink untouched) if it is not in
    /// the shape above.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int TryRead<TSink>(ref byte book, ref TSink sink)
        where TSink : struct, ISnapshotValueSink
    {
        // Both sides at once on the bet that they have the shape: asks then start one shape's length after bids.
        Vector512<byte> bidBytes = Vector512.LoadUnsafe(ref book);
        Vector512<byte> askBytes = Vector512.LoadUnsafe(ref Unsafe.Add(ref book, _length));
        if (!(HasShape(bidBytes) && HasShape(askBytes)))
        {
            // Out of line, and its vectors returned in a value of their own: a vector here passed out to a call would
            // live in memory on this path too.
            Book learnt = TryReadLearning(ref book);
            if (learnt.Length != 0)
            {
                sink.AddBook(learnt.Bids, learnt.Asks);
            }

            return learnt.Length;
        }

        Vector512<int> bids = Values(bidBytes);
        Vector512<int> asks = Values(askBytes);
        if (!AreInt32(bids, asks))
        {
            return 0;
        }

        sink.AddBook(bids, asks);
        return 2 * _length;
    }

    /// <summary>Whether <paramref name="side"/>'s headers and type bytes are the shape's.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly bool HasShape(Vector512<byte> side) => Vector512.EqualsAll(side & _typeMask, _typeBytes);

    /// <summary>Each value's bytes, by the shape, into its 32-bit lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly Vector512<int> Values(Vector512<byte> side) => (Avx512Vbmi.PermuteVar64x8(side, _sources) & _keep).AsInt32();

    /// <summary>False if a uint 32 is above int.MaxValue: the one thing the shape does not decide.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool AreInt32(Vector512<int> bids, Vector512<int> asks) =>
        (Vector512.LessThan(bids | asks, Vector512<int>.Zero).ExtractMostSignificantBits() & ((1u << ValuesPerSide) - 1)) == 0;

    /// <summary>The book side by side, each learnt first if it is not of the shape this reader knows; length 0 if not taken.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private Book TryReadLearning(ref byte book)
    {
        if (!TryReadSideLearning(ref book, out Vector512<int> bids))
        {
            return default;
        }

        int bidsLength = _length;
        return TryReadSideLearning(ref Unsafe.Add(ref book, bidsLength), out Vector512<int> asks) && AreInt32(bids, asks)
            ? new Book(bidsLength + _length, bids, asks)
            : default;
    }

    private readonly record struct Book(int Length, Vector512<int> Bids, Vector512<int> Asks);

    private bool TryReadSideLearning(ref byte side, out Vector512<int> values)
    {
        Vector512<byte> bytes = Vector512.LoadUnsafe(ref side);
        bool known = HasShape(bytes) || TryLearn(ref side);
        values = known ? Values(bytes) : default;
        return known;
    }

    /// <summary>Walks the side at <paramref name="side"/> and makes its shape this reader's; false (the shape kept) if it has none.</summary>
    private bool TryLearn(ref byte side)
    {
        var typeMask = default(SideBytes);
        var typeBytes = default(SideBytes);
        var sources = default(SideBytes);
        var keep = default(SideBytes);
        int position = 0;
        if (!TryExpectHeader(ref side, ref position, MessagePackSnapshotLayout.LevelsArrayCode, ref typeMask, ref typeBytes))
        {
            return false;
        }

        for (int value = 0; value < ValuesPerSide; value++)
        {
            if (value % 2 == 0 && !TryExpectHeader(ref side, ref position, MessagePackSnapshotLayout.LevelArrayCode, ref typeMask, ref typeBytes))
            {
                return false;
            }

            byte code = Unsafe.Add(ref side, position);
            int length = code <= PositiveFixIntMax ? 1 : code switch { UInt8Code => 2, UInt16Code => 3, UInt32Code => 5, _ => 0 };
            if (length == 0)
            {
                return false;
            }

            typeMask[position] = code <= PositiveFixIntMax ? (byte)0x80 : (byte)0xFF;
            typeBytes[position] = (byte)(code & typeMask[position]);
            // A fixint is its own one byte; a code of length n is followed by n - 1 bytes, big-endian.
            int width = Math.Max(length - 1, 1);
            for (int j = 0; j < width; j++)
            {
                sources[(4 * value) + j] = (byte)(position + length - 1 - j);
                keep[(4 * value) + j] = 0xFF;
            }

            position += length;
        }

        _typeMask = Vector512.LoadUnsafe(ref typeMask[0]);
        _typeBytes = Vector512.LoadUnsafe(ref typeBytes[0]);
        _sources = Vector512.LoadUnsafe(ref sources[0]);
        _keep = Vector512.LoadUnsafe(ref keep[0]);
        _length = position;
        return true;
    }

    private static bool TryExpectHeader(ref byte side, ref int position, byte code, ref SideBytes typeMask, ref SideBytes typeBytes)
    {
        if (Unsafe.Add(ref side, position) != code)
        {
            return false;
        }

        typeMask[position] = 0xFF;
        typeBytes[position] = code;
        position++;
        return true;
    }

    /// <summary>One byte per lane of a side's load, to build a vector of.</summary>
    [InlineArray(LoadLength)]
    private struct SideBytes
    {
        private byte _lane0;
    }
}
