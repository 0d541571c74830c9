using System.Buffers;
using System.Runtime.CompilerServices;

namespace ShmIpc.Codecs.MessagePack;

/// <summary>
/// MessagePack (<see cref="MessagePackSnapshotLayout"/>). Encode writes straight into the destination with
/// <see cref="MessagePackSpanWriter"/> and <see cref="MessagePackInstrumentFastWriter"/>. Read and decode are
/// <see cref="MessagePackSnapshotReader"/>'s: in place and allocation-free, from one span or segment by segment from a
/// sequence. Stateless; one instance per thread like every codec.
/// </summary>
public sealed class MessagePackSnapshotCodec : ISnapshotCodec
{
    /// <summary>The registry name of this codec (<see cref="SnapshotCodecs.Get"/>).</summary>
    public const string CodecName = "msgpack";

    /// <inheritdoc />
    public string Name => CodecName;

    /// <inheritdoc />
    public int GetMaxEncodedLength(int instrumentCount) => MessagePackSnapshotLayout.GetMaxEncodedLength(instrumentCount);

    /// <summary>
    /// Writes the header with <see cref="MessagePackSpanWriter"/>, then each instrument with
    /// <see cref="MessagePackInstrumentFastWriter"/> (one bounds check per instrument); the last two instruments, and
    /// any that finds less room than the fast writer needs, with the checking writer. Nothing past the returned length
    /// is written.
    /// </summary>
    public int Encode(MarketSnapshot snapshot, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var writer = new MessagePackSpanWriter(destination);
        writer.WriteArrayHeader(MessagePackSnapshotLayout.SnapshotFieldCount);
        writer.Write(snapshot.Sequence);
        writer.Write(snapshot.SendTimestampNs);
        writer.WriteArrayHeader(snapshot.InstrumentCount);
        int position = writer.Position;
        ReadOnlySpan<InstrumentSnapshot> instruments = snapshot.Instruments;
        var books = new MessagePackBookVectorWriter();
        for (int index = 0; index < instruments.Length; index++)
        {
            // The fast writer leaves scratch bytes past its instrument, fewer than any two instruments take (see
            // MessagePackInstrumentFastWriter.MaxScratch): the last two are written by the checking writer, so none is
            // left past the snapshot.
            int written = index < instruments.Length - 2 ? MessagePackInstrumentFastWriter.TryWrite(destination[position..], in instruments[index], ref books) : 0;
            position += written != 0 ? written : WriteInstrumentChecked(destination[position..], in instruments[index]);
        }

        return position;
    }

    /// <inheritdoc />
    public void Encode(MarketSnapshot snapshot, IBufferWriter<byte> writer) => BufferWriterEncoding.Encode(this, snapshot, writer);

    /// <summary>Reads a contiguous payload in place (<see cref="MessagePackSnapshotReader"/>).</summary>
    public SnapshotDigest ReadEveryField(ReadOnlySpan<byte> encoded) => MessagePackSnapshotReader.ReadEveryField(encoded);

    /// <summary>
    /// A single segment is read as a span. Several segments are read in place, segment by segment: only the few hundred
    /// bytes of an instrument that straddles two segments are gathered into a stack buffer first (the frame is never copied).
    /// </summary>
    public SnapshotDigest ReadEveryField(in ReadOnlySequence<byte> encoded) => MessagePackSnapshotReader.ReadEveryField(encoded);

    /// <summary>Decodes into the model with the same reader, so decoding checks exactly what reading every field checks.</summary>
    public void Decode(ReadOnlySpan<byte> encoded, MarketSnapshot destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        MessagePackSnapshotReader.Decode(encoded, destination);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int WriteInstrumentChecked(Span<byte> destination, in InstrumentSnapshot instrument)
    {
        var writer = new MessagePackSpanWriter(destination);
        writer.WriteArrayHeader(MessagePackSnapshotLayout.InstrumentFieldCount);
        writer.Write(instrument.InstrumentId);
        writer.Write(instrument.LastPrice);
        writer.Write(instrument.Volume);
        writer.Write(instrument.Turnover);
        writer.Write(instrument.ExchangeTimestampNs);
        WriteLevels(ref writer, instrument.Bids);
        WriteLevels(ref writer, instrument.Asks);
        return writer.Position;
    }

    private static void WriteLevels(ref MessagePackSpanWriter writer, in OrderBookLevels levels)
    {
        writer.WriteArrayHeader(OrderBookLevels.Count);
        for (int level = 0; level < OrderBookLevels.Count; level++)
        {
            writer.WriteArrayHeader(MessagePackSnapshotLayout.LevelFieldCount);
            writer.Write(levels[level].Price);
            writer.Write(levels[level].Quantity);
        }
    }
}
