using System.Buffers;

namespace ShmIpc.Codecs.MessagePack;

/// <summary>
/// MessagePack (<see cref="MessagePackSnapshotLayout"/>). Encode writes straight into the destination
/// with <see cref="MessagePackSpanWriter"/>. Read is in place and allocation-free: a contiguous
/// payload with <see cref="MessagePackSpanReader"/>; a payload split across segments with
/// <see cref="MessagePackSnapshotReader"/> over the library's <c>MessagePackReader</c>, which walks
/// the segments without copying them. Holds a reused memory manager (for <see cref="Decode"/>): one
/// instance per thread.
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

    /// <summary>Reads a contiguous payload in place with <see cref="MessagePackSpanReader"/>.</summary>
    public SnapshotDigest ReadEveryField(ReadOnlySpan<byte> encoded)
    {
        var reader = new MessagePackSpanReader(encoded);
        ExpectArray(ref reader, MessagePackSnapshotLayout.SnapshotFieldCount, "snapshot");
        long sequence = reader.ReadInt64();
        long sendTimestampNs = reader.ReadInt64();
        int count = reader.ReadArrayHeader();
        if ((uint)count > MarketSnapshot.MaxInstrumentCount)
        {
            throw new SnapshotFormatException(CodecName, $"instrument count {count} exceeds {MarketSnapshot.MaxInstrumentCount}");
        }

        var checksum = new SnapshotChecksum();
        checksum.AddHeader(sequence, sendTimestampNs, count);
        int index = 0;
        try
        {
            for (; index < count; index++)
            {
                // The canonical checksum order (SnapshotChecksum): the fields as they come on the wire.
                ExpectArray(ref reader, MessagePackSnapshotLayout.InstrumentFieldCount, "instrument");
                checksum.Add(reader.ReadInt32());
                checksum.Add(reader.ReadInt32());
                checksum.Add(reader.ReadInt64());
                checksum.Add(reader.ReadInt64());
                checksum.Add(reader.ReadInt64());
                AddLevels(ref reader, ref checksum, "bids");
                AddLevels(ref reader, ref checksum, "asks");
            }
        }
        catch (SnapshotFormatException exception) when (exception.CodecName == CodecName)
        {
            // Say which instrument: the reader knows only bytes.
            string problem = exception.Message[(CodecName.Length + " snapshot: ".Length)..];
            throw new SnapshotFormatException(CodecName, $"instrument {index}: {problem}", exception);
        }

        if (!reader.End)
        {
            throw new SnapshotFormatException(CodecName, $"{encoded.Length - reader.Position} unexpected bytes after the snapshot");
        }

        return new SnapshotDigest(sequence, sendTimestampNs, count, checksum.Value);
    }

    /// <summary>
    /// A single segment is read as a span; several segments are read in place by
    /// <c>MessagePackReader</c>, which walks the sequence (no copy, but about ten times slower).
    /// </summary>
    public SnapshotDigest ReadEveryField(in ReadOnlySequence<byte> encoded)
    {
        if (encoded.IsSingleSegment)
        {
            return ReadEveryField(encoded.FirstSpan);
        }

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

    private static void AddLevels(ref MessagePackSpanReader reader, ref SnapshotChecksum checksum, string side)
    {
        ExpectArray(ref reader, OrderBookLevels.Count, side);
        for (int level = 0; level < OrderBookLevels.Count; level++)
        {
            ExpectArray(ref reader, MessagePackSnapshotLayout.LevelFieldCount, "level");
            checksum.Add(reader.ReadInt32());
            checksum.Add(reader.ReadInt32());
        }
    }

    private static void ExpectArray(ref MessagePackSpanReader reader, int expected, string what)
    {
        int count = reader.ReadArrayHeader();
        if (count != expected)
        {
            throw new SnapshotFormatException(CodecName, $"{what} has {count} elements, expected {expected}");
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
