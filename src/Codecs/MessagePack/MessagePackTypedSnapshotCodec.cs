using System.Buffers;
using global::MessagePack;

namespace ShmIpc.Codecs.MessagePack;

/// <summary>
/// The usual MessagePack-CSharp path, for comparison with <see cref="MessagePackSnapshotCodec"/>:
/// <c>MessagePackSerializer</c> over <see cref="MessagePackSnapshotObject"/> (same bytes). It is not in
/// <see cref="SnapshotCodecs"/>. Encode maps the snapshot into a reused object graph and serialises
/// it (into a reused buffer, then one copy, for the span overload: the serializer cannot target a
/// span); read deserialises a NEW object graph per snapshot, which is what this path costs.
/// Deserialisation uses <see cref="MessagePackSecurity.UntrustedData"/>. One instance per thread.
/// </summary>
public sealed class MessagePackTypedSnapshotCodec : ISnapshotCodec
{
    /// <summary>The registry name of this codec (<see cref="SnapshotCodecs.Get"/>).</summary>
    public const string CodecName = "msgpack-typed";

    private static readonly MessagePackSerializerOptions Options =
        MessagePackSerializerOptions.Standard.WithSecurity(MessagePackSecurity.UntrustedData);

    private readonly MessagePackSnapshotObject _encodeGraph = new() { Instruments = new List<MessagePackInstrumentObject>() };
    private readonly ArrayBufferWriter<byte> _encodeBuffer = new(16 * 1024);
    private readonly PointerMemoryManager _pinnedMemory = new();

    /// <inheritdoc />
    public string Name => CodecName;

    /// <inheritdoc />
    public int GetMaxEncodedLength(int instrumentCount) => MessagePackSnapshotLayout.GetMaxEncodedLength(instrumentCount);

    /// <inheritdoc />
    public int Encode(MarketSnapshot snapshot, Span<byte> destination)
    {
        _encodeBuffer.ResetWrittenCount();
        Encode(snapshot, _encodeBuffer);
        if (destination.Length < _encodeBuffer.WrittenCount)
        {
            throw new ArgumentException($"{CodecName}: destination of {destination.Length} bytes is smaller than the {_encodeBuffer.WrittenCount}-byte encoding", nameof(destination));
        }

        _encodeBuffer.WrittenSpan.CopyTo(destination);
        return _encodeBuffer.WrittenCount;
    }

    /// <inheritdoc />
    public void Encode(MarketSnapshot snapshot, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        MapInto(snapshot, _encodeGraph);
        MessagePackSerializer.Serialize(writer, _encodeGraph, Options);
    }

    /// <inheritdoc />
    public SnapshotDigest ReadEveryField(ReadOnlySpan<byte> encoded) => ReadEveryField(Deserialize(encoded));

    /// <inheritdoc />
    public SnapshotDigest ReadEveryField(in ReadOnlySequence<byte> encoded) => ReadEveryField(Deserialize(encoded));

    /// <summary>Reads every field of an already deserialised graph.</summary>
    public static SnapshotDigest ReadEveryField(MessagePackSnapshotObject snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var checksum = new SnapshotChecksum();
        checksum.AddHeader(snapshot.Sequence, snapshot.SendTimestampNs, snapshot.Instruments.Count);
        foreach (MessagePackInstrumentObject instrument in snapshot.Instruments)
        {
            checksum.Add(instrument.InstrumentId);
            checksum.Add(instrument.LastPrice);
            checksum.Add(instrument.Volume);
            checksum.Add(instrument.Turnover);
            checksum.Add(instrument.ExchangeTimestampNs);
            AddLevels(ref checksum, instrument.Bids);
            AddLevels(ref checksum, instrument.Asks);
        }

        return new SnapshotDigest(snapshot.Sequence, snapshot.SendTimestampNs, snapshot.Instruments.Count, checksum.Value);
    }

    /// <inheritdoc />
    public void Decode(ReadOnlySpan<byte> encoded, MarketSnapshot destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        MessagePackSnapshotObject graph = Deserialize(encoded);
        destination.Resize(graph.Instruments.Count);
        destination.Sequence = graph.Sequence;
        destination.SendTimestampNs = graph.SendTimestampNs;
        Span<InstrumentSnapshot> instruments = destination.Instruments;
        for (int index = 0; index < instruments.Length; index++)
        {
            MessagePackInstrumentObject source = graph.Instruments[index];
            ref InstrumentSnapshot target = ref instruments[index];
            target.InstrumentId = source.InstrumentId;
            target.LastPrice = source.LastPrice;
            target.Volume = source.Volume;
            target.Turnover = source.Turnover;
            target.ExchangeTimestampNs = source.ExchangeTimestampNs;
            for (int level = 0; level < OrderBookLevels.Count; level++)
            {
                target.Bids[level] = new PriceLevel(source.Bids[level].Price, source.Bids[level].Quantity);
                target.Asks[level] = new PriceLevel(source.Asks[level].Price, source.Asks[level].Quantity);
            }
        }
    }

    // The serializer takes memory or a sequence, not a span: pin the span and wrap it, no copy.
    private unsafe MessagePackSnapshotObject Deserialize(ReadOnlySpan<byte> encoded)
    {
        fixed (byte* pointer = encoded)
        {
            _pinnedMemory.Reset(pointer, encoded.Length);
            try
            {
                return Deserialize(new ReadOnlySequence<byte>(_pinnedMemory.Memory));
            }
            finally
            {
                _pinnedMemory.Reset(null, 0);
            }
        }
    }

    private static MessagePackSnapshotObject Deserialize(in ReadOnlySequence<byte> encoded)
    {
        MessagePackSnapshotObject? graph;
        try
        {
            graph = MessagePackSerializer.Deserialize<MessagePackSnapshotObject>(encoded, Options);
        }
        catch (MessagePackSerializationException exception)
        {
            throw new SnapshotFormatException(CodecName, exception.Message, exception);
        }

        if (graph?.Instruments is null)
        {
            SnapshotFormatException.Throw(CodecName, "missing instruments array");
        }

        SnapshotFormatGuards.ThrowIfInvalidInstrumentCount(CodecName, graph.Instruments.Count);

        foreach (MessagePackInstrumentObject instrument in graph.Instruments)
        {
            if (instrument?.Bids?.Count != OrderBookLevels.Count || instrument.Asks?.Count != OrderBookLevels.Count
                || instrument.Bids.Any(level => level is null) || instrument.Asks.Any(level => level is null))
            {
                SnapshotFormatException.Throw(CodecName, $"an instrument does not have exactly {OrderBookLevels.Count} bid and ask levels");
            }
        }

        return graph;
    }

    private static void AddLevels(ref SnapshotChecksum checksum, IList<MessagePackPriceLevelObject> levels)
    {
        foreach (MessagePackPriceLevelObject level in levels)
        {
            checksum.Add(level.Price);
            checksum.Add(level.Quantity);
        }
    }

    private static void MapInto(MarketSnapshot snapshot, MessagePackSnapshotObject graph)
    {
        graph.Sequence = snapshot.Sequence;
        graph.SendTimestampNs = snapshot.SendTimestampNs;
        var instruments = (List<MessagePackInstrumentObject>)graph.Instruments;
        while (instruments.Count < snapshot.InstrumentCount)
        {
            instruments.Add(new MessagePackInstrumentObject
            {
                Bids = [.. Enumerable.Range(0, OrderBookLevels.Count).Select(_ => new MessagePackPriceLevelObject())],
                Asks = [.. Enumerable.Range(0, OrderBookLevels.Count).Select(_ => new MessagePackPriceLevelObject())],
            });
        }

        if (instruments.Count > snapshot.InstrumentCount)
        {
            instruments.RemoveRange(snapshot.InstrumentCount, instruments.Count - snapshot.InstrumentCount);
        }

        ReadOnlySpan<InstrumentSnapshot> source = snapshot.Instruments;
        for (int index = 0; index < source.Length; index++)
        {
            MessagePackInstrumentObject target = instruments[index];
            target.InstrumentId = source[index].InstrumentId;
            target.LastPrice = source[index].LastPrice;
            target.Volume = source[index].Volume;
            target.Turnover = source[index].Turnover;
            target.ExchangeTimestampNs = source[index].ExchangeTimestampNs;
            for (int level = 0; level < OrderBookLevels.Count; level++)
            {
                target.Bids[level].Price = source[index].Bids[level].Price;
                target.Bids[level].Quantity = source[index].Bids[level].Quantity;
                target.Asks[level].Price = source[index].Asks[level].Price;
                target.Asks[level].Quantity = source[index].Asks[level].Quantity;
            }
        }
    }
}
