using System.Buffers;
using System.Runtime.CompilerServices;

namespace ShmIpc.Codecs.MessagePack;

/// <summary>
/// MessagePack (<see cref="MessagePackSnapshotLayout"/>). Encode writes straight into the destination
/// with <see cref="MessagePackSpanWriter"/>. Read is in place and allocation-free, instrument by
/// instrument (<see cref="MessagePackInstrumentFastReader"/>, falling back to the checking
/// <see cref="MessagePackSpanReader"/>), from one span or segment by segment from a sequence.
/// <see cref="Decode"/> (into the model, not a hot path) uses the library's <c>MessagePackReader</c>
/// through a reused memory manager: one instance per thread.
/// </summary>
public sealed class MessagePackSnapshotCodec : ISnapshotCodec
{
    public const string CodecName = "msgpack";

    private readonly PointerMemoryManager _pinnedMemory = new();

    public string Name => CodecName;

    public int GetMaxEncodedLength(int instrumentCount) => MessagePackSnapshotLayout.GetMaxEncodedLength(instrumentCount);

    /// <summary>
    /// Writes the header with <see cref="MessagePackSpanWriter"/>, then each instrument with
    /// <see cref="MessagePackInstrumentFastWriter"/> (one bounds check per instrument); the last instrument, and any
    /// that finds less room than the fast writer needs, with the checking writer.
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
        for (int index = 0; index < instruments.Length; index++)
        {
            // The fast writer leaves scratch bytes past its instrument: never after the last one.
            int written = index < instruments.Length - 1 ? MessagePackInstrumentFastWriter.TryWrite(destination[position..], in instruments[index]) : 0;
            position += written != 0 ? written : WriteInstrumentChecked(destination[position..], in instruments[index]);
        }

        return position;
    }

    public void Encode(MarketSnapshot snapshot, IBufferWriter<byte> writer) => BufferWriterEncoding.Encode(this, snapshot, writer);

    /// <summary>
    /// Reads a contiguous payload in place: each instrument with <see cref="MessagePackInstrumentFastReader"/>
    /// (one bounds check per instrument), or with the checking <see cref="MessagePackSpanReader"/> where the fast
    /// reader declines (near the end, an unusual but valid encoding, bad input).
    /// </summary>
    public SnapshotDigest ReadEveryField(ReadOnlySpan<byte> encoded)
    {
        SnapshotDigest header = ReadHeader(encoded, out int position);
        var checksum = new SnapshotChecksum();
        checksum.AddHeader(header.Sequence, header.SendTimestampNs, header.InstrumentCount);
        for (int index = 0; index < header.InstrumentCount; index++)
        {
            position += ReadInstrument(encoded[position..], ref checksum, index);
        }

        if (position != encoded.Length)
        {
            throw new SnapshotFormatException(CodecName, $"{encoded.Length - position} unexpected bytes after the snapshot");
        }

        return header with { Checksum = checksum.Value };
    }

    /// <summary>
    /// A single segment is read as a span. Several segments are read in place, segment by segment, with the same
    /// readers: only the few hundred bytes of an instrument that straddles two segments are gathered into a stack
    /// buffer first (the frame is never copied).
    /// </summary>
    public SnapshotDigest ReadEveryField(in ReadOnlySequence<byte> encoded)
    {
        if (encoded.IsSingleSegment)
        {
            return ReadEveryField(encoded.FirstSpan);
        }

        // Room for the longest instrument any valid encoding can produce (the fast reader needs less).
        Span<byte> scratch = stackalloc byte[Math.Max(MessagePackSnapshotLayout.LongestInstrumentAnyEncoding, MessagePackInstrumentFastReader.RequiredBytes)];
        var source = new SequenceWindowReader(encoded);
        SnapshotDigest header = ReadHeader(source.Window(scratch, MessagePackSnapshotLayout.LongestHeaderAnyEncoding), out int headerLength);
        source.Advance(headerLength);
        var checksum = new SnapshotChecksum();
        checksum.AddHeader(header.Sequence, header.SendTimestampNs, header.InstrumentCount);
        for (int index = 0; index < header.InstrumentCount; index++)
        {
            source.Advance(ReadInstrument(source.Window(scratch, scratch.Length), ref checksum, index));
        }

        if (source.Remaining != 0)
        {
            throw new SnapshotFormatException(CodecName, $"{source.Remaining} unexpected bytes after the snapshot");
        }

        return header with { Checksum = checksum.Value };
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

    /// <summary>The snapshot's array header, sequence, send time and instrument count; the checksum is left 0.</summary>
    private static SnapshotDigest ReadHeader(ReadOnlySpan<byte> window, out int length)
    {
        var reader = new MessagePackSpanReader(window);
        ExpectArray(ref reader, MessagePackSnapshotLayout.SnapshotFieldCount, "snapshot");
        long sequence = reader.ReadInt64();
        long sendTimestampNs = reader.ReadInt64();
        int count = reader.ReadArrayHeader();
        if ((uint)count > MarketSnapshot.MaxInstrumentCount)
        {
            throw new SnapshotFormatException(CodecName, $"instrument count {count} exceeds {MarketSnapshot.MaxInstrumentCount}");
        }

        length = reader.Position;
        return new SnapshotDigest(sequence, sendTimestampNs, count, 0);
    }

    /// <summary>Reads the instrument at the start of <paramref name="window"/> into the checksum; returns its length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ReadInstrument(ReadOnlySpan<byte> window, ref SnapshotChecksum checksum, int index)
    {
        int length = MessagePackInstrumentFastReader.TryRead(window, ref checksum);
        return length != 0 ? length : ReadInstrumentChecked(window, ref checksum, index);
    }

    /// <summary>The checking path: any valid encoding, and a <see cref="SnapshotFormatException"/> naming the instrument.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int ReadInstrumentChecked(ReadOnlySpan<byte> window, ref SnapshotChecksum checksum, int index)
    {
        var reader = new MessagePackSpanReader(window);
        try
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
        catch (SnapshotFormatException exception) when (exception.CodecName == CodecName)
        {
            // Say which instrument: the reader knows only bytes (counted from the instrument's start).
            string problem = exception.Message[(CodecName.Length + " snapshot: ".Length)..];
            throw new SnapshotFormatException(CodecName, $"instrument {index}: {problem}", exception);
        }

        return reader.Position;
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
