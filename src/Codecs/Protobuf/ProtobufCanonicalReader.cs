using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static ShmIpc.Codecs.Protobuf.ProtobufWireFormat;

namespace ShmIpc.Codecs.Protobuf;

/// <summary>
/// The fast path of <see cref="ProtobufSnapshotReader"/>: one top-level field at a time in the layout our writer and
/// Google.Protobuf emit (sequence, send time, then instruments; inside an instrument its scalars in number order, each
/// present or omitted as zero, then the four packed level fields of five varints each; varints of at most 8 bytes),
/// with no per-value bounds check. Anything else (another order, an unknown or repeated field, a longer varint, a
/// negative int32, a length past the end) makes it decline and the caller reads the whole message again
/// with the general reader, which accepts every valid encoding and names what is wrong: the fast path only ever
/// accepts bytes the general reader decodes to the same values.
/// <para>
/// The caller gives a window of at least <see cref="WindowLength"/> bytes (padding past the message if need be) and
/// the count of those that are the message's: each step advances by a capped amount whatever the bytes say, so a walk
/// covers at most <see cref="MaxFieldLength"/> bytes and no load reaches more than <see cref="MaxLoadLength"/> past
/// it; a field is taken only if it ends within the message's bytes.
/// A varint's end comes from its continuation bits (one load and a trailing-zero count, no branch per byte); a packed
/// field's five ends come from one vector compare of its bytes, so the five values load independently.
/// </para>
/// Unsafe: reads through <see cref="Unsafe.Add{T}(ref T, nint)"/> within the window the caller checked, and leaves
/// the instrument it fills field by field uninitialised until it does (<see cref="SkipLocalsInitAttribute"/>).
/// </summary>
internal static class ProtobufCanonicalReader
{
    /// <summary>Most bytes the fast path takes for a varint: one 8-byte load holds it.</summary>
    private const int MaxVarintBytes = sizeof(ulong);

    /// <summary>Most bytes a packed field's data may take here: one 32-bit mask of its continuation bits.</summary>
    private const int MaxPackedDataLength = 32;

    /// <summary>An instrument body the fast path walks: four varint scalars, the fixed64 one, four packed fields.</summary>
    private const int MaxBodyLength = MaxScalarsLength + (4 * (2 + MaxPackedDataLength));

    /// <summary>An instrument's four varint scalars and its fixed64 one: where its book starts, at most.</summary>
    private const int MaxScalarsLength = (4 * (1 + MaxVarintBytes)) + (1 + sizeof(long));

    /// <summary>A top-level field: its tag, a length varint, the body.</summary>
    private const int MaxFieldLength = 1 + MaxVarintBytes + MaxBodyLength;

    /// <summary>
    /// How far a load may reach past a walk: a packed field's vector reads 32 bytes of data whatever its length, and
    /// its 8-byte varint loads start at most 33 bytes into the data (once the five ends have run out).
    /// </summary>
    private const int MaxLoadLength = MaxPackedDataLength + MaxVarintBytes;

    /// <summary>The window every step needs.</summary>
    public const int WindowLength = MaxFieldLength + MaxLoadLength;

    // ProtobufBookVectorReader's loads, from a book that starts after the tag, the body's length and the scalars, lie
    // within the window too: checked when compiled (a negative difference is no uint constant).
    private const uint BookVectorLoadsFit = (uint)(WindowLength - (1 + MaxVarintBytes + MaxScalarsLength + ProtobufBookVectorReader.MaxReach));

    /// <summary>
    /// Reads the top-level field at the start of <paramref name="window"/> (at least <see cref="WindowLength"/> bytes,
    /// of which the first <paramref name="available"/> are the message's) into <paramref name="fields"/> and
    /// <paramref name="consumer"/>; returns its length, or 0 if it is not in the canonical layout (nothing handed to
    /// the consumer; the caller then drops <paramref name="fields"/> too).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int TryReadField<TConsumer>(ReadOnlySpan<byte> window, int available, ref CanonicalFields fields, ref TConsumer consumer)
        where TConsumer : struct, IInstrumentVectorConsumer
    {
        if (!BitConverter.IsLittleEndian)
        {
            return 0; // its loads read the wire's little-endian words natively
        }

        ref byte start = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(window);
        byte tag = start;
        ulong word = Word(ref start, 1);
        int endBit = VarintEndBit(word);
        int valueEnd = 1 + ProtobufVarintBits.BytesThroughEndBit(endBit);
        if (tag == InstrumentTag)
        {
            ulong bodyLength = VarintValue(word, endBit);
            if (IsTooLong(endBit) || bodyLength > MaxBodyLength || valueEnd + (int)bodyLength > available
                || !fields.TryCountInstrument()
                || !TryReadInstrument(ref Unsafe.Add(ref start, valueEnd), (int)bodyLength, fields.InstrumentCount - 1, ref consumer))
            {
                return 0;
            }

            return valueEnd + (int)bodyLength;
        }

        if (tag == SequenceTag && fields.MaySee(CanonicalFields.SequencePhase))
        {
            fields.Sequence = (long)VarintValue(word, endBit);
            return IsTooLong(endBit) || valueEnd > available ? 0 : valueEnd;
        }

        if (tag == SendTimestampTag && fields.MaySee(CanonicalFields.SendTimestampPhase))
        {
            fields.SendTimestampNs = (long)word;
            return 1 + sizeof(long) > available ? 0 : 1 + sizeof(long);
        }

        return 0;
    }

    /// <summary>
    /// One instrument body of <paramref name="length"/> bytes, handed to <paramref name="consumer"/> as the instrument
    /// at <paramref name="index"/>; false (nothing handed over) if it leaves the canonical layout or does not end where
    /// its length says. One method over plain locals (the offset and the varints' end bits), so they stay in registers.
    /// </summary>
    // No zeroing of the instrument, whose every field the book-by-field path writes, on every call inlined into the loop.
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryReadInstrument<TConsumer>(ref byte body, int length, int index, ref TConsumer consumer)
        where TConsumer : struct, IInstrumentVectorConsumer
    {
        nint offset = 0;
        (ulong id, int taken, int endBits) = ReadScalar(ref body, offset, InstrumentIdTag);
        offset += taken;
        (ulong lastPrice, taken, int endBit) = ReadScalar(ref body, offset, LastPriceTag);
        offset += taken;
        endBits |= endBit;
        (ulong volume, taken, endBit) = ReadScalar(ref body, offset, VolumeTag);
        offset += taken;
        endBits |= endBit;
        (ulong turnover, taken, endBit) = ReadScalar(ref body, offset, TurnoverTag);
        offset += taken;
        endBits |= endBit;
        long exchangeTimestampNs = 0;
        if (Unsafe.Add(ref body, offset) == ExchangeTimestampTag)
        {
            exchangeTimestampNs = (long)Word(ref body, offset + 1);
            offset += 1 + sizeof(long);
        }

        if (IsTooLong(endBits))
        {
            return false;
        }

        // The book: both sides at once, in two vectors, where the CPU has AVX-512 VBMI2; else (or where a book is off
        // that reader's shape) field by field into an instrument.
        ref byte book = ref Unsafe.Add(ref body, offset);
        if (ProtobufBookVectorReader.IsSupported)
        {
            int vectorLength = ProtobufBookVectorReader.TryRead(ref book, out Vector512<int> bids, out Vector512<int> asks);
            if (vectorLength != 0)
            {
                if (offset + vectorLength != length)
                {
                    return false;
                }

                consumer.Take(index, (int)id, (int)lastPrice, (long)volume, (long)turnover, exchangeTimestampNs, bids, asks);
                return true;
            }
        }

        Unsafe.SkipInit(out InstrumentSnapshot instrument);
        instrument.InstrumentId = (int)id;
        instrument.LastPrice = (int)lastPrice;
        instrument.Volume = (long)volume;
        instrument.Turnover = (long)turnover;
        instrument.ExchangeTimestampNs = exchangeTimestampNs;
        int bookLength = TryReadBookByField(ref book, ref instrument);
        if (bookLength == 0 || offset + bookLength != length)
        {
            return false;
        }

        consumer.Take(index, in instrument);
        return true;
    }

    /// <summary>
    /// The book at <paramref name="book"/> field by field (bid prices, bid quantities, ask prices, ask quantities, each
    /// packed, five varints of at most 8 bytes) into <paramref name="instrument"/>; returns its length, or 0 if it is
    /// not that (what was written is then of no use).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int TryReadBookByField(ref byte book, ref InstrumentSnapshot instrument)
    {
        int packed = ReadPacked(ref book, PackedTag(BidPricesField), ref instrument.Bids[0].Price);
        nint offset = packed & PackedLengthMask;
        int off = packed;
        packed = ReadPacked(ref Unsafe.Add(ref book, offset), PackedTag(BidQuantitiesField), ref instrument.Bids[0].Quantity);
        offset += packed & PackedLengthMask;
        off |= packed;
        packed = ReadPacked(ref Unsafe.Add(ref book, offset), PackedTag(AskPricesField), ref instrument.Asks[0].Price);
        offset += packed & PackedLengthMask;
        off |= packed;
        packed = ReadPacked(ref Unsafe.Add(ref book, offset), PackedTag(AskQuantitiesField), ref instrument.Asks[0].Quantity);
        offset += packed & PackedLengthMask;
        off |= packed;
        return (off & ~PackedLengthMask) == 0 ? (int)offset : 0;
    }

    // ReadPacked's result: the bytes taken in the low bits, an off-path flag above them.
    private const int PackedLengthMask = 0xFF;
    private const int PackedOffPath = 0x100;

    /// <summary>
    /// A varint scalar at <paramref name="offset"/>: its value, the bytes it took (0: omitted as zero) and its varint's
    /// end bit (0 if omitted), which the caller ORs with the others for one <see cref="IsTooLong"/> at the end. Values,
    /// not refs, so the caller's offset stays in a register. An omitted scalar has no tag: a branch that predicts (a
    /// field is there or not, instrument after instrument).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (ulong Value, int Taken, int EndBit) ReadScalar(ref byte body, nint offset, byte tag)
    {
        if (Unsafe.Add(ref body, offset) != tag)
        {
            return (0, 0, 0);
        }

        ulong word = Word(ref body, offset + 1);
        int endBit = VarintEndBit(word);
        return (VarintValue(word, endBit), 1 + ProtobufVarintBits.BytesThroughEndBit(endBit), endBit);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Word(ref byte start, nint offset) => Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, offset));

    /// <summary>
    /// The bit of <paramref name="word"/> that ends the varint it starts with, the top bit of its last byte: 7, 15, ...,
    /// 63 for one of 1..8 bytes; 64 if none of the eight ends it (<see cref="IsTooLong"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int VarintEndBit(ulong word) => BitOperations.TrailingZeroCount(~word & 0x8080808080808080UL);

    /// <summary>The varint's value from its bytes only, their 7-bit groups packed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong VarintValue(ulong word, int endBit) => ProtobufVarintBits.PackBelow(word, endBit);

    /// <summary>
    /// True if a varint (or any of several whose end bits are ORed together) is longer than one 8-byte load: every
    /// other end bit is below 64.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsTooLong(int endBits) => (endBits & 64) != 0;

    /// <summary>
    /// A packed field of exactly five varints of at most 8 bytes, into every other int from <paramref name="first"/>
    /// (a side's prices or its quantities); returns the bytes it took, with <see cref="PackedOffPath"/> set if it is not
    /// that. Its data's continuation bits come from one vector compare; the five ends are the clear bits within its
    /// length, taken lowest first, so the five loads do not wait on each other.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ReadPacked(ref byte field, byte tag, ref int first)
    {
        int length = Unsafe.Add(ref field, 1);
        // Also a length varint of 2 bytes (>= 0x80): off the path.
        bool off = field != tag || length > MaxPackedDataLength;
        length = Math.Min(length, MaxPackedDataLength);
        ref byte data = ref Unsafe.Add(ref field, 2);
        uint inField = (uint)((1UL << length) - 1);
        uint continuation = (Vector128.LoadUnsafe(ref data).ExtractMostSignificantBits()
            | (Vector128.LoadUnsafe(ref data, 16).ExtractMostSignificantBits() << 16)) & inField;
        // Eight continuation bytes in a row: a varint longer than one load.
        uint runs = continuation & (continuation >> 1);
        runs &= runs >> 2;
        off |= (runs & (runs >> 4)) != 0;
        uint ends = ~continuation & inField;
        // The five ends first, lowest first (32 once none is left: off the path, checked below), then the five values
        // from them: written out, not a loop, so the values' loads and extracts wait on nothing but the ends. (Five is
        // OrderBookLevels.Count; were it more, the ends left over would send every instrument to the general reader.)
        int end0 = BitOperations.TrailingZeroCount(ends);
        ends &= ends - 1;
        int end1 = BitOperations.TrailingZeroCount(ends);
        ends &= ends - 1;
        int end2 = BitOperations.TrailingZeroCount(ends);
        ends &= ends - 1;
        int end3 = BitOperations.TrailingZeroCount(ends);
        ends &= ends - 1;
        int end4 = BitOperations.TrailingZeroCount(ends);
        ends &= ends - 1;
        const int Stride = PriceLevel.Size / sizeof(int);
        first = (int)ProtobufVarintBits.Pack(Word(ref data, 0), end0 + 1);
        Unsafe.Add(ref first, Stride) = (int)ProtobufVarintBits.Pack(Word(ref data, end0 + 1), end1 - end0);
        Unsafe.Add(ref first, 2 * Stride) = (int)ProtobufVarintBits.Pack(Word(ref data, end1 + 1), end2 - end1);
        Unsafe.Add(ref first, 3 * Stride) = (int)ProtobufVarintBits.Pack(Word(ref data, end2 + 1), end3 - end2);
        Unsafe.Add(ref first, 4 * Stride) = (int)ProtobufVarintBits.Pack(Word(ref data, end3 + 1), end4 - end3);

        // Exactly five ends, the last one the field's last byte.
        off |= ends != 0 || end4 + 1 != length;
        return (2 + length) | (off ? PackedOffPath : 0);
    }

    /// <summary>The top-level scalars and instrument count the fast path has read, and which may still come.</summary>
    public struct CanonicalFields
    {
        public const int SequencePhase = 0;
        public const int SendTimestampPhase = 1;
        private const int InstrumentsPhase = 2;

        private int _phase;

        public long Sequence;
        public long SendTimestampNs;

        public int InstrumentCount { readonly get; private set; }

        /// <summary>True if a field of <paramref name="phase"/> may come now (in number order, once); moves past it.</summary>
        public bool MaySee(int phase)
        {
            if (_phase > phase)
            {
                return false;
            }

            _phase = phase + 1;
            return true;
        }

        /// <summary>Counts one more instrument; false past the largest snapshot (the general reader names it).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool TryCountInstrument()
        {
            _phase = InstrumentsPhase;
            if (!SnapshotFormatGuards.IsValidInstrumentCount(InstrumentCount + 1L))
            {
                return false;
            }

            InstrumentCount++;
            return true;
        }
    }
}
