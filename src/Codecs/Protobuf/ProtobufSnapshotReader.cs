using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static ShmIpc.Codecs.Protobuf.ProtobufWireFormat;

namespace ShmIpc.Codecs.Protobuf;

/// <summary>
/// The in-place reader of <c>snapshot.proto</c>'s wire format, from one span or from a split sequence, allocation-free.
/// It accepts what a protobuf parser accepts: fields in any order, unknown fields (skipped, any wire type but groups),
/// repeated int32s packed or not (or both, concatenated), a scalar given twice (the last wins), non-minimal varints up
/// to 10 bytes. Reading every field first takes the fast path (<see cref="ProtobufCanonicalReader"/>: one pass in the
/// layout writers emit, no per-value bounds check) and, at its first surprise, reads the message again here in general.
/// In general the header may follow the instruments, so it reads twice: one pass over the top-level fields for the
/// header and the instrument count (instruments are skipped by their length), then one over the instruments, each
/// decoded into a stack-local <see cref="InstrumentSnapshot"/> and handed over in the checksum's canonical order. An
/// instrument needs exactly five values in each level field. Bad input throws <see cref="SnapshotFormatException"/>.
/// </summary>
internal static class ProtobufSnapshotReader
{
    // Gathers an instrument that straddles two segments; an instrument our writer emits takes at most a few hundred bytes.
    private const int StraddleScratchLength = 1024;

    // Room for a top-level tag and its value or length varint, each in its longest (non-minimal) form.
    private const int FieldPrefixWindow = 2 * MaxVarintLength;

    public static SnapshotDigest ReadEveryField(ReadOnlySpan<byte> encoded) =>
        TryReadEveryFieldCanonical(encoded, out SnapshotDigest digest) ? digest : ReadEveryFieldGeneral(encoded);

    public static SnapshotDigest ReadEveryField(in ReadOnlySequence<byte> encoded)
    {
        if (encoded.IsSingleSegment)
        {
            return ReadEveryField(encoded.FirstSpan);
        }

        return TryReadEveryFieldCanonical(encoded, out SnapshotDigest digest) ? digest : ReadEveryFieldGeneral(encoded);
    }

    /// <summary>The fast path alone (tests hold it to the general reader): false if the bytes leave the canonical layout.</summary>
    internal static bool TryReadEveryFieldCanonical(ReadOnlySpan<byte> encoded, out SnapshotDigest digest)
    {
        var instruments = new ChecksumConsumer();
        var fields = new ProtobufCanonicalReader.CanonicalFields();
        bool canonical = TryReadCanonical(encoded, ref fields, ref instruments);
        digest = canonical ? Digest(in fields, in instruments) : default;
        return canonical;
    }

    /// <summary>The fast path alone over a split sequence.</summary>
    internal static bool TryReadEveryFieldCanonical(in ReadOnlySequence<byte> encoded, out SnapshotDigest digest)
    {
        var instruments = new ChecksumConsumer();
        var fields = new ProtobufCanonicalReader.CanonicalFields();
        // Here, not in the loop's method: a method with a stackalloc and a loop is compiled once, without profile data.
        Span<byte> scratch = stackalloc byte[ProtobufCanonicalReader.WindowLength];
        bool canonical = TryReadCanonical(encoded, scratch, ref fields, ref instruments);
        digest = canonical ? Digest(in fields, in instruments) : default;
        return canonical;
    }

    /// <summary>
    /// The fast path over one span: field by field in the canonical layout, the last few bytes from a padded copy
    /// (the fast reader's window reaches past a field). False at the first surprise: the caller reads it all again.
    /// </summary>
    // Its own method, never inlined into a caller: the field loop keeps the JIT's whole inlining budget.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool TryReadCanonical<TConsumer>(ReadOnlySpan<byte> encoded, ref ProtobufCanonicalReader.CanonicalFields fields, ref TConsumer consumer)
        where TConsumer : struct, IInstrumentVectorConsumer
    {
        // Locals while in place: through the refs every checksum add would be a load and a store.
        TConsumer values = consumer;
        ProtobufCanonicalReader.CanonicalFields header = fields;
        int position = 0;
        while (encoded.Length - position >= ProtobufCanonicalReader.WindowLength)
        {
            ReadOnlySpan<byte> rest = encoded[position..];
            int length = ProtobufCanonicalReader.TryReadField(rest, rest.Length, ref header, ref values);
            if (length == 0)
            {
                return false;
            }

            position += length;
        }

        consumer = values;
        fields = header;
        return position == encoded.Length || TryReadTail(encoded[position..], ref fields, ref consumer);
    }

    /// <summary>
    /// The last bytes of a message (fewer than a window), copied where every field among them has a full window after
    /// its start: two windows' room (what follows the bytes there is never taken).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool TryReadTail<TConsumer>(ReadOnlySpan<byte> tail, ref ProtobufCanonicalReader.CanonicalFields fields, ref TConsumer consumer)
        where TConsumer : struct, IInstrumentVectorConsumer
    {
        Span<byte> window = stackalloc byte[2 * ProtobufCanonicalReader.WindowLength];
        tail.CopyTo(window);
        int position = 0;
        while (position < tail.Length)
        {
            int length = ProtobufCanonicalReader.TryReadField(window[position..], tail.Length - position, ref fields, ref consumer);
            if (length == 0)
            {
                return false;
            }

            position += length;
        }

        return true;
    }

    /// <summary>
    /// The fast path over a split sequence: each field in place in its segment; one that straddles two (or the last
    /// few bytes) from the window's small gathered copy (<paramref name="scratch"/>, a window long), never the whole message.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool TryReadCanonical<TConsumer>(in ReadOnlySequence<byte> encoded, Span<byte> scratch, ref ProtobufCanonicalReader.CanonicalFields fields, ref TConsumer consumer)
        where TConsumer : struct, IInstrumentVectorConsumer
    {
        var source = new SequenceWindowReader(encoded);
        TConsumer values = consumer;
        ProtobufCanonicalReader.CanonicalFields header = fields;
        while (source.Remaining > 0)
        {
            ReadOnlySpan<byte> window = source.Window(scratch, ProtobufCanonicalReader.WindowLength);
            if (window.Length < ProtobufCanonicalReader.WindowLength)
            {
                // Fewer than a window's bytes left: the tail's padded copy.
                consumer = values;
                fields = header;
                return TryReadTail(window, ref fields, ref consumer);
            }

            // Every field that has a whole window after its start in this one (a field is shorter than a window).
            int position = 0;
            do
            {
                int length = ProtobufCanonicalReader.TryReadField(window[position..], window.Length - position, ref header, ref values);
                if (length == 0)
                {
                    return false;
                }

                position += length;
            }
            while (window.Length - position >= ProtobufCanonicalReader.WindowLength);

            source.Advance(position);
        }

        consumer = values;
        fields = header;
        return true;
    }

    /// <summary>The header read last: its checksum first, then the instruments' appended.</summary>
    private static SnapshotDigest Digest(in ProtobufCanonicalReader.CanonicalFields fields, in ChecksumConsumer instruments)
    {
        var checksum = new SnapshotChecksum();
        checksum.AddHeader(fields.Sequence, fields.SendTimestampNs, fields.InstrumentCount);
        checksum.Append(in instruments.Instruments);
        return new SnapshotDigest(fields.Sequence, fields.SendTimestampNs, fields.InstrumentCount, checksum.Value);
    }

    /// <summary>The general reader: any valid encoding, in two passes (the header may follow the instruments).</summary>
    internal static SnapshotDigest ReadEveryFieldGeneral(ReadOnlySpan<byte> encoded)
    {
        SnapshotDigest header = ReadHeader(encoded);
        var checksum = new SnapshotChecksum();
        checksum.AddHeader(header.Sequence, header.SendTimestampNs, header.InstrumentCount);
        var consumer = new ChecksumConsumer();
        ReadInstruments(encoded, ref consumer);
        checksum.Append(in consumer.Instruments);
        return header with { Checksum = checksum.Value };
    }

    /// <summary>The general reader over a split sequence.</summary>
    internal static SnapshotDigest ReadEveryFieldGeneral(in ReadOnlySequence<byte> encoded)
    {
        SnapshotDigest header = ReadHeader(encoded);
        var checksum = new SnapshotChecksum();
        checksum.AddHeader(header.Sequence, header.SendTimestampNs, header.InstrumentCount);
        var consumer = new ChecksumConsumer();
        ReadInstruments(encoded, ref consumer);
        checksum.Append(in consumer.Instruments);
        return header with { Checksum = checksum.Value };
    }

    public static void Decode(ReadOnlySpan<byte> encoded, MarketSnapshot destination)
    {
        SnapshotDigest header = ReadHeader(encoded);
        destination.Resize(header.InstrumentCount);
        destination.Sequence = header.Sequence;
        destination.SendTimestampNs = header.SendTimestampNs;
        var consumer = new ModelConsumer(destination);
        ReadInstruments(encoded, ref consumer);
    }

    /// <summary>Pass one: sequence, send time (last wins) and the instrument count; the checksum is left 0.</summary>
    private static SnapshotDigest ReadHeader(ReadOnlySpan<byte> encoded)
    {
        var reader = new ProtobufSpanReader(encoded);
        var header = new HeaderFields();
        while (!reader.IsAtEnd)
        {
            header.ReadField(ref reader);
        }

        return header.ToDigest();
    }

    private static SnapshotDigest ReadHeader(in ReadOnlySequence<byte> encoded)
    {
        Span<byte> scratch = stackalloc byte[FieldPrefixWindow];
        var source = new SequenceWindowReader(encoded);
        var header = new HeaderFields();
        while (source.Remaining > 0)
        {
            var reader = new ProtobufSpanReader(source.Window(scratch, FieldPrefixWindow));
            uint tag = header.ReadField(ref reader, skipLengthDelimited: false);
            if ((tag & 7) == WireTypeLengthDelimited)
            {
                // The value is not in the window: only its length is; step over it in the sequence.
                ulong length = reader.ReadVarint();
                source.Advance(reader.Position);
                ThrowIfPastEnd(length, source.Remaining);
                source.Advance((int)length);
                header.CountIfInstrument(tag);
            }
            else
            {
                source.Advance(reader.Position);
            }
        }

        return header.ToDigest();
    }

    /// <summary>Pass two over one span: every instrument field, in order.</summary>
    private static void ReadInstruments<TConsumer>(ReadOnlySpan<byte> encoded, ref TConsumer consumer)
        where TConsumer : struct, IInstrumentConsumer
    {
        var reader = new ProtobufSpanReader(encoded);
        int index = 0;
        while (!reader.IsAtEnd)
        {
            uint tag = reader.ReadTag();
            if (tag == InstrumentTag)
            {
                ReadInstrument(reader.ReadLengthDelimited(), out InstrumentSnapshot instrument, index);
                consumer.Take(index++, in instrument);
            }
            else
            {
                reader.SkipValue(tag);
            }
        }
    }

    /// <summary>
    /// Pass two over a split sequence: each instrument is read in place in its segment; one that straddles two is
    /// gathered into a stack buffer (a pooled one if it is longer: valid protobuf may pad it with unknown fields), never
    /// the whole message.
    /// </summary>
    private static void ReadInstruments<TConsumer>(in ReadOnlySequence<byte> encoded, ref TConsumer consumer)
        where TConsumer : struct, IInstrumentConsumer
    {
        Span<byte> scratch = stackalloc byte[StraddleScratchLength];
        var source = new SequenceWindowReader(encoded);
        int index = 0;
        while (source.Remaining > 0)
        {
            var prefix = new ProtobufSpanReader(source.Window(scratch, FieldPrefixWindow));
            uint tag = prefix.ReadTag();
            if ((tag & 7) != WireTypeLengthDelimited)
            {
                prefix.SkipValue(tag);
                source.Advance(prefix.Position);
                continue;
            }

            ulong length = prefix.ReadVarint();
            source.Advance(prefix.Position);
            ThrowIfPastEnd(length, source.Remaining);
            if (tag == InstrumentTag)
            {
                ReadInstrumentFrom(ref source, (int)length, scratch, out InstrumentSnapshot instrument, index);
                consumer.Take(index++, in instrument);
            }

            source.Advance((int)length);
        }
    }

    private static void ReadInstrumentFrom(ref SequenceWindowReader source, int length, scoped Span<byte> scratch, out InstrumentSnapshot instrument, int index)
    {
        ReadOnlySpan<byte> window = source.Window(scratch, length);
        if (window.Length >= length)
        {
            ReadInstrument(window[..length], out instrument, index);
            return;
        }

        byte[] rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            ReadInstrument(source.Window(rented, length)[..length], out instrument, index);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>One instrument message's fields, in any order, into <paramref name="instrument"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReadInstrument(ReadOnlySpan<byte> body, out InstrumentSnapshot instrument, int index)
    {
        instrument = default;
        var levels = new LevelCounts();
        var reader = new ProtobufSpanReader(body);
        while (!reader.IsAtEnd)
        {
            uint tag = reader.ReadTag();
            switch (tag)
            {
                case InstrumentIdTag:
                    instrument.InstrumentId = (int)reader.ReadVarint();
                    break;
                case LastPriceTag:
                    instrument.LastPrice = (int)reader.ReadVarint();
                    break;
                case VolumeTag:
                    instrument.Volume = (long)reader.ReadVarint();
                    break;
                case TurnoverTag:
                    instrument.Turnover = (long)reader.ReadVarint();
                    break;
                case ExchangeTimestampTag:
                    instrument.ExchangeTimestampNs = reader.ReadFixed64();
                    break;
                case (BidPricesField << 3) | WireTypeLengthDelimited:
                case (BidQuantitiesField << 3) | WireTypeLengthDelimited:
                case (AskPricesField << 3) | WireTypeLengthDelimited:
                case (AskQuantitiesField << 3) | WireTypeLengthDelimited:
                    var packed = new ProtobufSpanReader(reader.ReadLengthDelimited());
                    while (!packed.IsAtEnd)
                    {
                        levels.Add(ref instrument, (int)(tag >> 3), (int)packed.ReadVarint(), index);
                    }

                    break;
                case (BidPricesField << 3) | WireTypeVarint:
                case (BidQuantitiesField << 3) | WireTypeVarint:
                case (AskPricesField << 3) | WireTypeVarint:
                case (AskQuantitiesField << 3) | WireTypeVarint:
                    levels.Add(ref instrument, (int)(tag >> 3), (int)reader.ReadVarint(), index);
                    break;
                default:
                    reader.SkipValue(tag);
                    break;
            }
        }

        levels.ThrowIfIncomplete(index);
    }

    private static void ThrowIfPastEnd(ulong length, long remaining)
    {
        if (length > (ulong)remaining)
        {
            ProtobufSpanReader.Throw($"length {length} runs past the end ({remaining} bytes left)");
        }
    }

    /// <summary>The top-level scalars (last wins) and the count of instrument fields.</summary>
    private struct HeaderFields
    {
        private long _sequence;
        private long _sendTimestampNs;
        private long _instrumentCount;

        /// <summary>Reads one top-level field; returns its tag. A length-delimited value is skipped only if asked.</summary>
        public uint ReadField(ref ProtobufSpanReader reader, bool skipLengthDelimited = true)
        {
            uint tag = reader.ReadTag();
            if (tag == SequenceTag)
            {
                _sequence = (long)reader.ReadVarint();
            }
            else if (tag == SendTimestampTag)
            {
                _sendTimestampNs = reader.ReadFixed64();
            }
            else if ((tag & 7) != WireTypeLengthDelimited)
            {
                reader.SkipValue(tag);
            }
            else if (skipLengthDelimited)
            {
                reader.ReadLengthDelimited();
                CountIfInstrument(tag);
            }

            return tag;
        }

        public void CountIfInstrument(uint tag)
        {
            if (tag == InstrumentTag)
            {
                // Checked as it grows, so a flood of empty instruments stops at once.
                SnapshotFormatGuards.ThrowIfInvalidInstrumentCount(ProtobufSnapshotCodec.CodecName, ++_instrumentCount);
            }
        }

        public readonly SnapshotDigest ToDigest() => new(_sequence, _sendTimestampNs, (int)_instrumentCount, 0);
    }

    /// <summary>How many values each of an instrument's four level fields has received.</summary>
    private struct LevelCounts
    {
        private int _bidPrices;
        private int _bidQuantities;
        private int _askPrices;
        private int _askQuantities;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(ref InstrumentSnapshot instrument, int field, int value, int index)
        {
            switch (field)
            {
                case BidPricesField:
                    instrument.Bids[Next(ref _bidPrices, index)].Price = value;
                    break;
                case BidQuantitiesField:
                    instrument.Bids[Next(ref _bidQuantities, index)].Quantity = value;
                    break;
                case AskPricesField:
                    instrument.Asks[Next(ref _askPrices, index)].Price = value;
                    break;
                default:
                    instrument.Asks[Next(ref _askQuantities, index)].Quantity = value;
                    break;
            }
        }

        public readonly void ThrowIfIncomplete(int index)
        {
            if (_bidPrices != OrderBookLevels.Count || _bidQuantities != OrderBookLevels.Count
                || _askPrices != OrderBookLevels.Count || _askQuantities != OrderBookLevels.Count)
            {
                ProtobufSpanReader.Throw(
                    $"instrument {index} has {_bidPrices}/{_bidQuantities} bid and {_askPrices}/{_askQuantities} ask prices/quantities, expected {OrderBookLevels.Count} each");
            }
        }

        /// <summary>The level the next value goes to; a sixth value is an error.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int Next(ref int count, int index)
        {
            if (count == OrderBookLevels.Count)
            {
                ProtobufSpanReader.Throw($"instrument {index} has more than {OrderBookLevels.Count} values in a level field");
            }

            return count++;
        }
    }

    /// <summary>The instruments' checksum, by columns (the 25 values of an instrument wait for no add before them).</summary>
    private struct ChecksumConsumer : IInstrumentVectorConsumer
    {
        public InstrumentColumnChecksum Instruments;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Take(int index, in InstrumentSnapshot instrument) => Instruments.Add(in instrument);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Take(int index, int instrumentId, int lastPrice, long volume, long turnover, long exchangeTimestampNs, Vector512<int> bids, Vector512<int> asks) =>
            Instruments.Add(instrumentId, lastPrice, volume, turnover, exchangeTimestampNs, bids, asks);
    }

    private readonly struct ModelConsumer(MarketSnapshot destination) : IInstrumentConsumer
    {
        public void Take(int index, in InstrumentSnapshot instrument) => destination.Instruments[index] = instrument;
    }
}
