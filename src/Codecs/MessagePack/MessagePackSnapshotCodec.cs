using System.Buffers;

namespace ShmIpc.Codecs.MessagePack;

/// <summary>
/// MessagePack (<see cref="MessagePackSnapshotLayout"/>). Encode writes straight into the destination
/// with <see cref="MessagePackSpanWriter"/>; read uses <see cref="MessagePackSnapshotReader"/> over the
/// library's <c>MessagePackReader</c>, in place for spans (through a reused
/// <see cref="PointerMemoryManager"/>) and for sequences of any number of segments. Allocation-free.
/// Holds a reused memory manager: one instance per thread.
/// </summary>
public sealed class MessagePackSnapshotCodec : ISnapshotCodec
{
    public const string CodecName = "msgpack";

    private readonly PointerMemoryManager _pinnedMemory = new();

    public string Name => CodecName;

    public int GetMaxEncodedLength(int instrumentCount) => MessagePackSnapshotLayout.GetMaxEncodedLength(instrumentCount);

    public int Encode(MarketSnapshot snapshot, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var writer = new MessagePackSpanWriter(destination);
        writer.WriteArrayHeader(MessagePackSnapshotLayout.SnapshotFieldCount);
        writer.Write(snapshot.Sequence);
        writer.Write(snapshot.SendTimestampNs);
        writer.WriteArrayHeader(snapshot.InstrumentCount);
        foreach (ref readonly InstrumentSnapshot instrument in snapshot.Instruments)
        {
            writer.WriteArrayHeader(MessagePackSnapshotLayout.InstrumentFieldCount);
            writer.Write(instrument.InstrumentId);
            writer.Write(instrument.LastPrice);
            writer.Write(instrument.Volume);
            writer.Write(instrument.Turnover);
            writer.Write(instrument.ExchangeTimestampNs);
            WriteLevels(ref writer, instrument.Bids);
            WriteLevels(ref writer, instrument.Asks);
        }

        return writer.Position;
    }

    public void Encode(MarketSnapshot snapshot, IBufferWriter<byte> writer) => BufferWriterEncoding.Encode(this, snapshot, writer);

    /// <summary>Pins the span and reads it in place through the reused memory manager.</summary>
    public unsafe SnapshotDigest ReadEveryField(ReadOnlySpan<byte> encoded)
    {
        fixed (byte* pointer = encoded)
        {
            _pinnedMemory.Reset(pointer, encoded.Length);
            try
            {
                return ReadEveryField(new ReadOnlySequence<byte>(_pinnedMemory.Memory));
            }
            finally
            {
                // The pointer is only valid inside this fixed block: never leave it behind.
                _pinnedMemory.Reset(null, 0);
            }
        }
    }

    /// <summary>Reads any number of segments in place (MessagePackReader walks the sequence).</summary>
    public SnapshotDigest ReadEveryField(in ReadOnlySequence<byte> encoded)
    {
        var reader = new MessagePackSnapshotReader(encoded);
        var checksum = new SnapshotChecksum();
        checksum.AddHeader(reader.Sequence, reader.SendTimestampNs, reader.InstrumentCount);
        while (reader.TryReadInstrument(out InstrumentSnapshot instrument))
        {
            checksum.Add(in instrument);
        }

        reader.ReadEnd();
        return new SnapshotDigest(reader.Sequence, reader.SendTimestampNs, reader.InstrumentCount, checksum.Value);
    }

    public unsafe void Decode(ReadOnlySpan<byte> encoded, MarketSnapshot destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        fixed (byte* pointer = encoded)
        {
            _pinnedMemory.Reset(pointer, encoded.Length);
            try
            {
                var reader = new MessagePackSnapshotReader(new ReadOnlySequence<byte>(_pinnedMemory.Memory));
                destination.Resize(reader.InstrumentCount);
                destination.Sequence = reader.Sequence;
                destination.SendTimestampNs = reader.SendTimestampNs;
                Span<InstrumentSnapshot> instruments = destination.Instruments;
                for (int index = 0; reader.TryReadInstrument(out InstrumentSnapshot instrument); index++)
                {
                    instruments[index] = instrument;
                }

                reader.ReadEnd();
            }
            finally
            {
                _pinnedMemory.Reset(null, 0);
            }
        }
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
