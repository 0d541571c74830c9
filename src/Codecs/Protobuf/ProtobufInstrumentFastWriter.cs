using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static ShmIpc.Codecs.Protobuf.ProtobufWireFormat;

namespace ShmIpc.Codecs.Protobuf;

/// <summary>
/// Writes one instrument field (tag, body length, body) with no per-value bounds check, into a window of at least
/// <see cref="RequiredBytes"/>: the longest instrument plus the 8 bytes one wide store may write past a value, or the
/// book's 64-byte stores (<see cref="ProtobufBookVectorWriter"/>), whichever reaches further. The
/// bytes are exactly <see cref="ProtobufSpanWriter"/>'s and Google.Protobuf's (tests compare them).
/// <para>
/// No length is computed ahead: the body is written after a one-byte length and moved up a byte in the rare case it
/// takes 128 bytes or more (a two-byte length); each packed field's length (at most 50 bytes: one byte) is filled in
/// after its data. A varint of up to 8 bytes is spread into 7-bit groups and stored with one 8-byte write, its
/// continuation bits OR-ed in (the spare bytes land past it and are overwritten next); its length and continuation bits
/// are looked up from its bit length. Longer ones (a negative int32, a value from 2^56) go byte by byte, out of line.
/// One method over plain locals (the offset), so it stays in a register.
/// </para>
/// Unsafe: writes through <see cref="Unsafe.Add{T}(ref T, nint)"/>; the RequiredBytes check is the only bounds check.
/// </summary>
internal static class ProtobufInstrumentFastWriter
{
    public const int RequiredBytes = FieldByFieldBytes > VectorBookBytes ? FieldByFieldBytes : VectorBookBytes;

    // Field by field: the longest instrument plus one 8-byte store past its last value. With the vector book: the tag,
    // a one-byte length (a longer body moves up a byte after), the longest scalars, then the book's two 64-byte stores.
    private const int FieldByFieldBytes = ProtobufSnapshotCodec.MaxInstrumentLength + sizeof(ulong);
    private const int VectorBookBytes = 2 + ProtobufSnapshotCodec.MaxScalarsLength + ProtobufBookVectorWriter.MaxReach;

    /// <summary>Varint bytes of a value with 0..63 leading zero bits (up to 56 significant bits: the fast path's).</summary>
    private static ReadOnlySpan<byte> VarintLengthByLeadingZeros =>
    [
        10, 9, 9, 9, 9, 9, 9, 9, 8, 8, 8, 8, 8, 8, 8, 7, 7, 7, 7, 7, 7, 7, 6, 6, 6, 6, 6, 6, 6, 5, 5, 5,
        5, 5, 5, 5, 4, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1,
    ];

    /// <summary>The continuation bits of a varint of 0..8 bytes: on every byte but the last.</summary>
    private static ReadOnlySpan<ulong> ContinuationByLength =>
    [
        0, 0, 0x80, 0x8080, 0x808080, 0x80808080, 0x8080808080, 0x808080808080, 0x80808080808080,
    ];

    // A body below this takes a one-byte length varint.
    private const int OneByteLengthLimit = 0x80;

    /// <summary>Writes the instrument field at the start of <paramref name="window"/>; returns its length, 0 if the window is too short.</summary>
    // Inlined into the encoder's loop: what is rare (a book off the vector writer's shape, a two-byte length) is out of line.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int TryWrite(Span<byte> window, in InstrumentSnapshot instrument)
    {
        if (window.Length < RequiredBytes || !BitConverter.IsLittleEndian)
        {
            return 0;
        }

        ref byte field = ref MemoryMarshal.GetReference(window);
        field = InstrumentTag;
        ref byte body = ref Unsafe.Add(ref field, 2); // after a one-byte length
        nint offset = 0;
        offset = WriteScalar(ref body, offset, InstrumentIdTag, (ulong)(long)instrument.InstrumentId);
        offset = WriteScalar(ref body, offset, LastPriceTag, (ulong)(long)instrument.LastPrice);
        offset = WriteScalar(ref body, offset, VolumeTag, (ulong)instrument.Volume);
        offset = WriteScalar(ref body, offset, TurnoverTag, (ulong)instrument.Turnover);
        if (instrument.ExchangeTimestampNs != 0)
        {
            Unsafe.Add(ref body, offset) = ExchangeTimestampTag;
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref body, offset + 1), instrument.ExchangeTimestampNs);
            offset += 1 + sizeof(long);
        }

        // The book: both sides at once where the CPU has AVX-512 VBMI2 and more (and every value takes at most four
        // bytes), else field by field: out of line where the vector writer is the rule, in line where it is never used.
        if (ProtobufBookVectorWriter.IsSupported)
        {
            int bookLength = ProtobufBookVectorWriter.TryWrite(ref Unsafe.Add(ref body, offset), in instrument);
            offset = bookLength != 0 ? offset + bookLength : WriteBookByFieldOutOfLine(ref body, offset, in instrument);
        }
        else
        {
            offset = WriteBookByField(ref body, offset, in instrument);
        }

        int length = (int)offset;
        if (length < OneByteLengthLimit)
        {
            Unsafe.Add(ref field, 1) = (byte)length;
            return 2 + length;
        }

        return MoveUpForATwoByteLength(window, length);
    }

    /// <summary>The four packed level fields after <paramref name="offset"/>; returns the offset after them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nint WriteBookByField(ref byte body, nint offset, in InstrumentSnapshot instrument)
    {
        offset = WritePacked(ref body, offset, PackedTag(BidPricesField), in instrument.Bids[0].Price);
        offset = WritePacked(ref body, offset, PackedTag(BidQuantitiesField), in instrument.Bids[0].Quantity);
        offset = WritePacked(ref body, offset, PackedTag(AskPricesField), in instrument.Asks[0].Price);
        return WritePacked(ref body, offset, PackedTag(AskQuantitiesField), in instrument.Asks[0].Quantity);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static nint WriteBookByFieldOutOfLine(ref byte body, nint offset, in InstrumentSnapshot instrument) =>
        WriteBookByField(ref body, offset, in instrument);

    /// <summary>
    /// A body of <paramref name="length"/> bytes, 128 or more, written after a one-byte length: moved up one byte for
    /// its two-byte length (a body is far below 16,384 bytes); returns the field's length.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int MoveUpForATwoByteLength(Span<byte> window, int length)
    {
        window.Slice(2, length).CopyTo(window[3..]);
        window[1] = (byte)(length | 0x80);
        window[2] = (byte)(length >> 7);
        return 3 + length;
    }

    /// <summary>Tag, a one-byte data length (five int32s take at most 50 bytes) filled in after the data.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nint WritePacked(ref byte body, nint offset, byte tag, in int first)
    {
        Unsafe.Add(ref body, offset) = tag;
        nint data = offset + 2;
        // Every other int from first: a side's prices or its quantities. Unrolled by hand: the JIT keeps a loop's
        // counter in memory around the long-varint call.
        const int Stride = PriceLevel.Size / sizeof(int);
        ref int level = ref Unsafe.AsRef(in first);
        nint end = WriteVarint(ref body, data, (ulong)(long)level);
        end = WriteVarint(ref body, end, (ulong)(long)Unsafe.Add(ref level, Stride));
        end = WriteVarint(ref body, end, (ulong)(long)Unsafe.Add(ref level, 2 * Stride));
        end = WriteVarint(ref body, end, (ulong)(long)Unsafe.Add(ref level, 3 * Stride));
        end = WriteVarint(ref body, end, (ulong)(long)Unsafe.Add(ref level, 4 * Stride));

        Unsafe.Add(ref body, offset + 1) = (byte)(end - data);
        return end;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nint WriteScalar(ref byte body, nint offset, byte tag, ulong value)
    {
        if (value == 0)
        {
            return offset;
        }

        Unsafe.Add(ref body, offset) = tag;
        return WriteVarint(ref body, offset + 1, value);
    }

    /// <summary>Writes the varint at <paramref name="offset"/>; returns the offset after it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nint WriteVarint(ref byte destination, nint offset, ulong value)
    {
        if (value >> 56 != 0)
        {
            return offset + WriteLongVarint(ref Unsafe.Add(ref destination, offset), value);
        }

        // The length from the value's bit length and the continuation bits from the length, both looked up: fewer
        // steps than computing them, and neither waits on the deposit.
        int bytes = Unsafe.Add(ref MemoryMarshal.GetReference(VarintLengthByLeadingZeros), BitOperations.LeadingZeroCount(value | 1));
        ulong continuation = Unsafe.Add(ref MemoryMarshal.GetReference(ContinuationByLength), bytes);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, offset), ProtobufVarintBits.Spread(value) | continuation);
        return offset + bytes;
    }

    /// <summary>9 or 10 bytes, byte by byte.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int WriteLongVarint(ref byte destination, ulong value)
    {
        int written = 0;
        while (value >= 0x80)
        {
            Unsafe.Add(ref destination, written++) = (byte)(value | 0x80);
            value >>= 7;
        }

        Unsafe.Add(ref destination, written++) = (byte)value;
        return written;
    }
}
