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
/// negative int32, a length past the end) sets <see cref="IsOffPath"/> and the caller reads the whole message again
/// with the general reader, which accepts every valid encoding and names what is wrong: the fast path only ever
/// accepts bytes the general reader decodes to the same values.
/// <para>
/// The caller gives a window of at least <see cref="WindowLength"/> bytes (padding past the message if need be) and
/// the count of those that are the message's: every load here starts within <see cref="MaxFieldLength"/> of the
/// field's start and reads at most <see cref="MaxLoadLength"/> bytes, and each step advances by a capped amount
/// whatever the bytes say, so no walk leaves the window; a field is taken only if it ends within the message's bytes.
/// A varint's end comes from its continuation bits (one load and a trailing-zero count, no branch per byte); a packed
/// field's five ends come from one vector compare of its bytes, so the five values load independently.
/// </para>
/// Unsafe: reads through <see cref="Unsafe.Add{T}(ref T, nint)"/> within the window the caller checked.
/// </summary>
internal ref struct ProtobufCanonicalReader
{
    /// <summary>Most bytes the fast path takes for a varint: one 8-byte load holds it.</summary>
    private const int MaxVarintBytes = sizeof(ulong);

    /// <summary>Most bytes a packed field's data may take here: one 32-bit mask of its continuation bits.</summary>
    private const int MaxPackedDataLength = 32;

    /// <summary>An instrument body the fast path walks: four varint scalars, the fixed64 one, four packed fields.</summary>
    private const int MaxBodyLength = (4 * (1 + MaxVarintBytes)) + (1 + sizeof(long)) + (4 * (2 + MaxPackedDataLength));

    /// <summary>A top-level field: its tag, a length varint, the body.</summary>
    private const int MaxFieldLength = 1 + MaxVarintBytes + MaxBodyLength;

    /// <summary>The widest load: a packed field's 32 bytes (an 8-byte varint load reads less).</summary>
    private const int MaxLoadLength = MaxPackedDataLength + MaxVarintBytes;

    /// <summary>The window every step needs: any load starts before <see cref="MaxFieldLength"/>.</summary>
    public const int WindowLength = MaxFieldLength + MaxLoadLength;

    // A cursor like MessagePackUncheckedReader's: its fields are promoted to registers once inlined.
    private readonly ref byte _start;
    private nint _offset;
    private bool _offPath;

    private ProtobufCanonicalReader(ref byte start)
    {
        _start = ref start;
        _offset = 0;
        _offPath = false;
    }

    private readonly bool IsOffPath => _offPath;

    /// <summary>
    /// Reads the top-level field at the start of <paramref name="window"/> (at least <see cref="WindowLength"/> bytes,
    /// of which the first <paramref name="available"/> are the message's) into <paramref name="fields"/> and
    /// <paramref name="consumer"/>; returns its length, or 0 if it is not in the canonical layout (nothing taken).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int TryReadField<TConsumer>(ReadOnlySpan<byte> window, int available, ref CanonicalFields fields, ref TConsumer consumer)
        where TConsumer : struct, IInstrumentConsumer
    {
        var reader = new ProtobufCanonicalReader(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(window));
        byte tag = reader.ReadByte();
        if (tag == InstrumentTag)
        {
            ulong bodyLength = reader.ReadVarint();
            int bodyStart = (int)reader._offset;
            if (reader._offPath || bodyLength > MaxBodyLength || bodyStart + (int)bodyLength > available
                || !fields.TryCountInstrument())
            {
                return 0;
            }

            var body = new ProtobufCanonicalReader(ref Unsafe.Add(ref reader._start, bodyStart));
            body.ReadInstrument(out InstrumentSnapshot instrument);
            if (body._offPath || body._offset != (nint)bodyLength)
            {
                return 0;
            }

            consumer.Take(fields.InstrumentCount - 1, in instrument);
            return bodyStart + (int)bodyLength;
        }

        if (tag == SequenceTag && fields.MaySee(CanonicalFields.SequencePhase))
        {
            fields.Sequence = (long)reader.ReadVarint();
        }
        else if (tag == SendTimestampTag && fields.MaySee(CanonicalFields.SendTimestampPhase))
        {
            fields.SendTimestampNs = reader.ReadFixed64();
        }
        else
        {
            return 0;
        }

        return reader._offPath || reader._offset > available ? 0 : (int)reader._offset;
    }

    /// <summary>One instrument body; the caller checks the flag and that it ended where its length says.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ReadInstrument(out InstrumentSnapshot instrument)
    {
        // Every field is written below: the five scalars, and five prices and quantities per side.
        Unsafe.SkipInit(out instrument);
        instrument.InstrumentId = TryTag(InstrumentIdTag) ? (int)ReadVarint() : 0;
        instrument.LastPrice = TryTag(LastPriceTag) ? (int)ReadVarint() : 0;
        instrument.Volume = TryTag(VolumeTag) ? (long)ReadVarint() : 0;
        instrument.Turnover = TryTag(TurnoverTag) ? (long)ReadVarint() : 0;
        instrument.ExchangeTimestampNs = TryTag(ExchangeTimestampTag) ? ReadFixed64() : 0;
        ReadPacked(PackedTag(BidPricesField), ref instrument.Bids[0].Price);
        ReadPacked(PackedTag(BidQuantitiesField), ref instrument.Bids[0].Quantity);
        ReadPacked(PackedTag(AskPricesField), ref instrument.Asks[0].Price);
        ReadPacked(PackedTag(AskQuantitiesField), ref instrument.Asks[0].Quantity);
    }

    /// <summary>A scalar omitted as zero has no tag: a branch that predicts (a field is there or not, instrument after instrument).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryTag(byte tag)
    {
        if (Unsafe.Add(ref _start, _offset) != tag)
        {
            return false;
        }

        _offset++;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private byte ReadByte()
    {
        byte value = Unsafe.Add(ref _start, _offset);
        _offset++;
        return value;
    }

    /// <summary>A varint of at most 8 bytes from one load: its end is the first byte with the top bit clear.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong ReadVarint()
    {
        ulong word = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref _start, _offset));
        ulong ends = ~word & 0x8080808080808080UL;
        _offPath |= ends == 0; // 9 or 10 bytes: the general reader's
        int bits = BitOperations.TrailingZeroCount(ends) + 1; // 8 × length; 65 when off the path (advance 8)
        _offset += bits >> 3;
        return ProtobufVarintBits.Pack(word & (ulong.MaxValue >> (64 - bits)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long ReadFixed64()
    {
        long value = Unsafe.ReadUnaligned<long>(ref Unsafe.Add(ref _start, _offset));
        _offset += sizeof(long);
        return value;
    }

    /// <summary>
    /// A packed field of exactly five varints of at most 8 bytes, into every other int from <paramref name="first"/>
    /// (a side's prices or its quantities). Its data's continuation bits come from one vector compare; the five ends
    /// are the clear bits within its length, taken lowest first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ReadPacked(byte tag, ref int first)
    {
        _offPath |= Unsafe.Add(ref _start, _offset) != tag;
        int length = Unsafe.Add(ref _start, _offset + 1);
        _offPath |= length > MaxPackedDataLength; // also a length varint of 2 bytes (>= 0x80)
        length = Math.Min(length, MaxPackedDataLength);
        ref byte data = ref Unsafe.Add(ref _start, _offset + 2);
        uint continuation = Vector128.LoadUnsafe(ref data).ExtractMostSignificantBits()
            | (Vector128.LoadUnsafe(ref data, 16).ExtractMostSignificantBits() << 16);
        uint ends = ~continuation & (uint)((1UL << length) - 1);
        _offPath |= BitOperations.PopCount(ends) != OrderBookLevels.Count || BitOperations.LeadingZeroCount(ends) != 32 - length;
        int start = 0;
        for (int level = 0; level < OrderBookLevels.Count; level++)
        {
            int end = BitOperations.TrailingZeroCount(ends); // 32 once none is left: off the path already
            ends &= ends - 1;
            int bytes = end - start + 1;
            _offPath |= bytes > MaxVarintBytes;
            ulong word = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref data, start));
            Unsafe.Add(ref first, level * (PriceLevel.Size / sizeof(int))) =
                (int)ProtobufVarintBits.Pack(word & (ulong.MaxValue >> (64 - (8 * bytes))));
            start = end + 1;
        }

        _offset += 2 + length;
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
