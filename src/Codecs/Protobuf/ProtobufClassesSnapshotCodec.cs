using System.Buffers;
using Google.Protobuf;
using Google.Protobuf.Collections;

namespace ShmIpc.Codecs.Protobuf;

/// <summary>
/// Protobuf through Google.Protobuf's generated classes (<c>snapshot.proto</c>, Google.Protobuf 3.36.2 with Grpc.Tools
/// codegen): what most users run, kept so the comparison shows what it costs next to the in-place
/// <see cref="ProtobufSnapshotCodec"/> (same bytes on the wire).
/// Encode fills a reused <see cref="Snapshot"/> (<see cref="CopyTo(MarketSnapshot, Snapshot)"/>: its <see cref="Instrument"/>
/// objects and packed arrays are reused, so steady-state encoding allocates nothing) and writes it
/// straight into the span or the writer. Read clears a reused message and <c>MergeFrom</c>s the span
/// or sequence (any number of segments) with no intermediate copy; what it still allocates is
/// Protobuf's: a new <see cref="Instrument"/> per instrument with its four <c>RepeatedField&lt;int&gt;</c>
/// and their arrays (the generated parser never reuses repeated message elements). Holds reused
/// messages: one instance per thread.
/// </summary>
public sealed class ProtobufClassesSnapshotCodec : ISnapshotCodec
{
    /// <summary>The registry name of this codec (<see cref="SnapshotCodecs.Get"/>).</summary>
    public const string CodecName = "protobuf-classes";

    // Worst case per value: int32/int64 varints take 10 bytes when negative; sfixed64 8; tag 1.
    private const int MaxHeaderLength = (1 + 10) + (1 + 8);
    private const int MaxPackedLevelsLength = 1 + 1 + (OrderBookLevels.Count * 10);
    private const int MaxInstrumentBodyLength = (4 * (1 + 10)) + (1 + 8) + (4 * MaxPackedLevelsLength);
    private const int MaxInstrumentLength = 1 + 2 + MaxInstrumentBodyLength; // tag, length varint (< 16,384), body

    private readonly Snapshot _encodeMessage = new();
    private readonly Snapshot _parseMessage = new();

    /// <inheritdoc />
    public string Name => CodecName;

    /// <inheritdoc />
    public int GetMaxEncodedLength(int instrumentCount)
    {
        MarketSnapshot.ValidateCount(instrumentCount);
        return MaxHeaderLength + (instrumentCount * MaxInstrumentLength);
    }

    /// <inheritdoc />
    public int Encode(MarketSnapshot snapshot, Span<byte> destination)
    {
        CopyTo(snapshot, _encodeMessage);
        int length = _encodeMessage.CalculateSize();
        if (destination.Length < length)
        {
            throw new ArgumentException($"protobuf: destination of {destination.Length} bytes is smaller than the {length}-byte encoding", nameof(destination));
        }

        // WriteTo(Span) requires the span to be exactly the message's size.
        _encodeMessage.WriteTo(destination[..length]);
        return length;
    }

    /// <inheritdoc />
    public void Encode(MarketSnapshot snapshot, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        CopyTo(snapshot, _encodeMessage);
        _encodeMessage.WriteTo(writer);
    }

    /// <inheritdoc />
    public SnapshotDigest ReadEveryField(ReadOnlySpan<byte> encoded) => ReadEveryField(Parse(encoded));

    /// <inheritdoc />
    public SnapshotDigest ReadEveryField(in ReadOnlySequence<byte> encoded) => ReadEveryField(Parse(encoded));

    /// <summary>Reads every field of an already parsed message (what a gRPC handler receives); validates the level counts.</summary>
    public static SnapshotDigest ReadEveryField(Snapshot message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Validate(message);
        var checksum = new SnapshotChecksum();
        checksum.AddHeader(message.Sequence, message.SendTimestampNs, message.Instruments.Count);
        // Indexed, not foreach: RepeatedField's enumerator is an iterator object, one allocation per message read.
        RepeatedField<Instrument> instruments = message.Instruments;
        for (int index = 0; index < instruments.Count; index++)
        {
            Instrument instrument = instruments[index];
            checksum.Add(instrument.InstrumentId);
            checksum.Add(instrument.LastPrice);
            checksum.Add(instrument.Volume);
            checksum.Add(instrument.Turnover);
            checksum.Add(instrument.ExchangeTimestampNs);
            AddLevels(ref checksum, instrument.BidPrices, instrument.BidQuantities);
            AddLevels(ref checksum, instrument.AskPrices, instrument.AskQuantities);
        }

        return new SnapshotDigest(message.Sequence, message.SendTimestampNs, message.Instruments.Count, checksum.Value);
    }

    /// <summary>
    /// Fills <paramref name="message"/> from <paramref name="snapshot"/>, reusing its
    /// <see cref="Instrument"/> objects and packed arrays (allocation-free once it has held as many
    /// instruments). For gRPC senders that keep one message per call.
    /// </summary>
    public static void CopyTo(MarketSnapshot snapshot, Snapshot message)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(message);
        message.Sequence = snapshot.Sequence;
        message.SendTimestampNs = snapshot.SendTimestampNs;
        message.ClearUnknownFields();
        RepeatedField<Instrument> instruments = message.Instruments;
        while (instruments.Count > snapshot.InstrumentCount)
        {
            instruments.RemoveAt(instruments.Count - 1);
        }

        while (instruments.Count < snapshot.InstrumentCount)
        {
            instruments.Add(new Instrument());
        }

        ReadOnlySpan<InstrumentSnapshot> source = snapshot.Instruments;
        for (int index = 0; index < source.Length; index++)
        {
            ref readonly InstrumentSnapshot from = ref source[index];
            Instrument to = instruments[index];
            to.ClearUnknownFields();
            to.InstrumentId = from.InstrumentId;
            to.LastPrice = from.LastPrice;
            to.Volume = from.Volume;
            to.Turnover = from.Turnover;
            to.ExchangeTimestampNs = from.ExchangeTimestampNs;
            CopyLevels(from.Bids, to.BidPrices, to.BidQuantities);
            CopyLevels(from.Asks, to.AskPrices, to.AskQuantities);
        }
    }

    /// <summary>Copies a parsed (and validated) message into the model.</summary>
    public static void CopyTo(Snapshot message, MarketSnapshot destination)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(destination);
        Validate(message);
        destination.Resize(message.Instruments.Count);
        destination.Sequence = message.Sequence;
        destination.SendTimestampNs = message.SendTimestampNs;
        Span<InstrumentSnapshot> instruments = destination.Instruments;
        for (int index = 0; index < instruments.Length; index++)
        {
            Instrument from = message.Instruments[index];
            ref InstrumentSnapshot to = ref instruments[index];
            to.InstrumentId = from.InstrumentId;
            to.LastPrice = from.LastPrice;
            to.Volume = from.Volume;
            to.Turnover = from.Turnover;
            to.ExchangeTimestampNs = from.ExchangeTimestampNs;
            for (int level = 0; level < OrderBookLevels.Count; level++)
            {
                to.Bids[level] = new PriceLevel(from.BidPrices[level], from.BidQuantities[level]);
                to.Asks[level] = new PriceLevel(from.AskPrices[level], from.AskQuantities[level]);
            }
        }
    }

    /// <inheritdoc />
    public void Decode(ReadOnlySpan<byte> encoded, MarketSnapshot destination) => CopyTo(Parse(encoded), destination);

    /// <summary>
    /// Parses into this instance's reused message (<see cref="Snapshot.Clear"/>, then <c>MergeFrom</c>) without copying the input; the
    /// result is valid until the next call. Throws <see cref="SnapshotFormatException"/>.
    /// </summary>
    public Snapshot Parse(ReadOnlySpan<byte> encoded)
    {
        _parseMessage.Clear();
        try
        {
            _parseMessage.MergeFrom(encoded);
        }
        catch (InvalidProtocolBufferException exception)
        {
            throw new SnapshotFormatException(CodecName, exception.Message, exception);
        }

        return _parseMessage;
    }

    /// <inheritdoc cref="Parse(ReadOnlySpan{byte})"/>
    public Snapshot Parse(in ReadOnlySequence<byte> encoded)
    {
        _parseMessage.Clear();
        try
        {
            _parseMessage.MergeFrom(encoded);
        }
        catch (InvalidProtocolBufferException exception)
        {
            throw new SnapshotFormatException(CodecName, exception.Message, exception);
        }

        return _parseMessage;
    }

    private static void Validate(Snapshot message)
    {
        SnapshotFormatGuards.ThrowIfInvalidInstrumentCount(CodecName, message.Instruments.Count);

        for (int index = 0; index < message.Instruments.Count; index++)
        {
            Instrument instrument = message.Instruments[index];
            if (instrument.BidPrices.Count != OrderBookLevels.Count || instrument.BidQuantities.Count != OrderBookLevels.Count
                || instrument.AskPrices.Count != OrderBookLevels.Count || instrument.AskQuantities.Count != OrderBookLevels.Count)
            {
                SnapshotFormatException.Throw(
                    CodecName,
                    $"instrument {index} has {instrument.BidPrices.Count}/{instrument.BidQuantities.Count} bid and {instrument.AskPrices.Count}/{instrument.AskQuantities.Count} ask prices/quantities, expected {OrderBookLevels.Count} each");
            }
        }
    }

    private static void CopyLevels(in OrderBookLevels levels, RepeatedField<int> prices, RepeatedField<int> quantities)
    {
        if (prices.Count != OrderBookLevels.Count || quantities.Count != OrderBookLevels.Count)
        {
            // First use (or a foreign message): size the fields once; Clear keeps the backing array.
            prices.Clear();
            quantities.Clear();
            for (int level = 0; level < OrderBookLevels.Count; level++)
            {
                prices.Add(0);
                quantities.Add(0);
            }
        }

        // Steady state: overwrite in place through the indexer, no Clear/Add bookkeeping.
        for (int level = 0; level < OrderBookLevels.Count; level++)
        {
            prices[level] = levels[level].Price;
            quantities[level] = levels[level].Quantity;
        }
    }

    private static void AddLevels(ref SnapshotChecksum checksum, RepeatedField<int> prices, RepeatedField<int> quantities)
    {
        for (int level = 0; level < OrderBookLevels.Count; level++)
        {
            checksum.Add(prices[level]);
            checksum.Add(quantities[level]);
        }
    }
}
