using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ShmIpc.Codecs.MessagePack;

/// <summary>
/// The one reader of the MessagePack schema (<see cref="MessagePackSnapshotLayout"/>), in place and allocation-free,
/// from one span or, segment by segment, from a split sequence. Instrument by instrument: first with the unchecked
/// primitives (<see cref="MessagePackUncheckedReader"/>, one bounds check per instrument), and where they decline (near
/// the end, an unusual but valid encoding, bad input) with the checking ones (<see cref="MessagePackSpanReader"/>),
/// which accept any valid encoding and name what is wrong. Every structural count is checked (3 / 7 / 5 / 2 fields,
/// <see cref="SnapshotFormatGuards.IsValidInstrumentCount"/> instruments), and that nothing follows the snapshot.
/// The values go to a sink (<see cref="ISnapshotValueSink"/>): the checksum when reading every field, the model when
/// decoding. Bad input throws <see cref="SnapshotFormatException"/>.
/// </summary>
internal static class MessagePackSnapshotReader
{
    /// <summary>
    /// The window the unchecked path needs for one instrument: the longest instrument it can walk (every array header
    /// a fixarray, every integer in its widest form, valid MessagePack even for a small value) plus the bytes one wide
    /// load may read past the last value. That one check per instrument replaces a check per header and per value.
    /// </summary>
    internal const int UncheckedWindowLength =
        (InstrumentArrayHeaders * MessagePackUncheckedReader.ArrayHeaderLength)
        + (InstrumentIntegers * MessagePackUncheckedReader.MaxIntegerLength)
        + MessagePackUncheckedReader.LoadOverrun;

    // Per instrument: its own array, the bids and asks arrays, one array per level; 5 scalars and 2 values per level.
    private const int InstrumentArrayHeaders = 1 + 2 + (2 * OrderBookLevels.Count);
    private const int InstrumentScalars = 5;
    private const int InstrumentIntegers = InstrumentScalars + (2 * OrderBookLevels.Count * MessagePackSnapshotLayout.LevelFieldCount);

    // The vector book reader's loads, from a book that starts after the instrument's header and five integers, lie
    // inside the window (a compile error if not: a negative constant does not convert to uint).
    private const uint BookVectorLoadsFit = (uint)(UncheckedWindowLength
        - (MessagePackUncheckedReader.ArrayHeaderLength + (InstrumentScalars * MessagePackUncheckedReader.MaxIntegerLength) + MessagePackBookVectorReader.MaxReach));

    // In a problem's wording, the header is no instrument.
    private const int InHeader = -1;

    /// <summary>Reads a contiguous payload in place; the checksum covers every value.</summary>
    // Its own method, never inlined into a caller: the instrument loop keeps the JIT's whole inlining budget.
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static SnapshotDigest ReadEveryField(ReadOnlySpan<byte> encoded)
    {
        SnapshotDigest header = ReadHeader(encoded, out int position);
        var checksum = new SnapshotChecksum();
        checksum.AddHeader(header.Sequence, header.SendTimestampNs, header.InstrumentCount);
        var books = new MessagePackBookVectorReader();
        for (int index = 0; index < header.InstrumentCount; index++)
        {
            position += ReadInstrument(encoded[position..], ref books, ref checksum, index);
        }

        ThrowIfBytesFollow(encoded.Length - position);
        return header with { Checksum = checksum.Value };
    }

    /// <summary>
    /// A single segment is read as a span. Several segments are read in place, segment by segment, with the same
    /// instrument reads: only the few hundred bytes of an instrument that straddles two segments are gathered into a
    /// stack buffer first (the frame is never copied).
    /// </summary>
    public static SnapshotDigest ReadEveryField(in ReadOnlySequence<byte> encoded)
    {
        if (encoded.IsSingleSegment)
        {
            return ReadEveryField(encoded.FirstSpan);
        }

        // Room for the longest instrument any valid encoding can produce (the unchecked path needs less).
        Span<byte> scratch = stackalloc byte[Math.Max(MessagePackSnapshotLayout.LongestInstrumentAnyEncoding, UncheckedWindowLength)];
        var source = new SequenceWindowReader(encoded);
        SnapshotDigest header = ReadHeader(source.Window(scratch, MessagePackSnapshotLayout.LongestHeaderAnyEncoding), out int headerLength);
        source.Advance(headerLength);
        var checksum = new SnapshotChecksum();
        checksum.AddHeader(header.Sequence, header.SendTimestampNs, header.InstrumentCount);
        var books = new MessagePackBookVectorReader();
        for (int index = 0; index < header.InstrumentCount; index++)
        {
            source.Advance(ReadInstrument(source.Window(scratch, scratch.Length), ref books, ref checksum, index));
        }

        ThrowIfBytesFollow(source.Remaining);
        return header with { Checksum = checksum.Value };
    }

    /// <summary>Decodes into <paramref name="destination"/>, resized to the instrument count; the same walk as reading every field.</summary>
    public static void Decode(ReadOnlySpan<byte> encoded, MarketSnapshot destination)
    {
        SnapshotDigest header = ReadHeader(encoded, out int position);
        destination.Resize(header.InstrumentCount);
        destination.Sequence = header.Sequence;
        destination.SendTimestampNs = header.SendTimestampNs;
        Span<InstrumentSnapshot> instruments = destination.Instruments;
        var books = new MessagePackBookVectorReader();
        for (int index = 0; index < instruments.Length; index++)
        {
            var instrument = new InstrumentSnapshotBuilder();
            position += ReadInstrument(encoded[position..], ref books, ref instrument, index);
            instruments[index] = instrument.Instrument;
        }

        ThrowIfBytesFollow(encoded.Length - position);
    }

    /// <summary>The snapshot's array header, sequence, send time and instrument count; the checksum is left 0.</summary>
    private static SnapshotDigest ReadHeader(ReadOnlySpan<byte> window, out int length)
    {
        var reader = new MessagePackSpanReader(window);
        ExpectArray(ref reader, MessagePackSnapshotLayout.SnapshotFieldCount, "snapshot", InHeader);
        long sequence = ReadInt64(ref reader, InHeader);
        long sendTimestampNs = ReadInt64(ref reader, InHeader);
        if (!reader.TryReadArrayHeader(out int count))
        {
            ThrowProblem(InHeader, reader.DescribeArrayHeaderProblem());
        }

        SnapshotFormatGuards.ThrowIfInvalidInstrumentCount(MessagePackSnapshotCodec.CodecName, count);
        length = reader.Position;
        return new SnapshotDigest(sequence, sendTimestampNs, count, 0);
    }

    /// <summary>Reads the instrument at the start of <paramref name="window"/> into <paramref name="sink"/>; returns its length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ReadInstrument<TSink>(ReadOnlySpan<byte> window, ref MessagePackBookVectorReader books, ref TSink sink, int index)
        where TSink : struct, ISnapshotValueSink
    {
        int length = TryReadInstrumentUnchecked(window, ref books, ref sink);
        return length != 0 ? length : ReadInstrumentChecked(window, ref sink, index);
    }

    /// <summary>
    /// The instrument in the shape writers emit, with one bounds check: returns its length, or 0 (the sink untouched)
    /// when the window is shorter than <see cref="UncheckedWindowLength"/> or the reader went off its path.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int TryReadInstrumentUnchecked<TSink>(ReadOnlySpan<byte> window, ref MessagePackBookVectorReader books, ref TSink sink)
        where TSink : struct, ISnapshotValueSink
    {
        if (window.Length < UncheckedWindowLength)
        {
            return 0;
        }

        var reader = new MessagePackUncheckedReader(ref MemoryMarshal.GetReference(window));
        TSink values = sink;
        reader.ExpectArrayHeader(MessagePackSnapshotLayout.InstrumentArrayCode);
        values.Add(reader.ReadInt32());
        values.Add(reader.ReadInt32());
        values.Add(reader.ReadInt64());
        values.Add(reader.ReadInt64());
        values.Add(reader.ReadInt64());
        ReadBookUnchecked(ref reader, ref books, ref values);
        if (reader.IsOffPath)
        {
            return 0;
        }

        sink = values;
        return reader.Length;
    }

    /// <summary>
    /// Both sides at once where the CPU has AVX-512 VBMI (<see cref="MessagePackBookVectorReader"/>), else (or where a
    /// book is off that reader's shape) value by value.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReadBookUnchecked<TSink>(ref MessagePackUncheckedReader reader, ref MessagePackBookVectorReader books, ref TSink values)
        where TSink : struct, ISnapshotValueSink
    {
        if (MessagePackBookVectorReader.IsSupported)
        {
            int length = books.TryRead(ref reader.Next, ref values);
            if (length != 0)
            {
                reader.Advance(length);
                return;
            }
        }

        ReadLevelsUnchecked(ref reader, ref values);
        ReadLevelsUnchecked(ref reader, ref values);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReadLevelsUnchecked<TSink>(ref MessagePackUncheckedReader reader, ref TSink values)
        where TSink : struct, ISnapshotValueSink
    {
        reader.ExpectArrayHeader(MessagePackSnapshotLayout.LevelsArrayCode);
        for (int level = 0; level < OrderBookLevels.Count; level++)
        {
            reader.ExpectArrayHeader(MessagePackSnapshotLayout.LevelArrayCode);
            values.Add(reader.ReadInt32());
            values.Add(reader.ReadInt32());
        }
    }

    /// <summary>The checking path: any valid encoding, and a <see cref="SnapshotFormatException"/> naming the instrument.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int ReadInstrumentChecked<TSink>(ReadOnlySpan<byte> window, ref TSink sink, int index)
        where TSink : struct, ISnapshotValueSink
    {
        var reader = new MessagePackSpanReader(window);
        ExpectArray(ref reader, MessagePackSnapshotLayout.InstrumentFieldCount, "instrument", index);
        sink.Add(ReadInt32(ref reader, index));
        sink.Add(ReadInt32(ref reader, index));
        sink.Add(ReadInt64(ref reader, index));
        sink.Add(ReadInt64(ref reader, index));
        sink.Add(ReadInt64(ref reader, index));
        ReadLevelsChecked(ref reader, ref sink, "bids", index);
        ReadLevelsChecked(ref reader, ref sink, "asks", index);
        return reader.Position;
    }

    private static void ReadLevelsChecked<TSink>(ref MessagePackSpanReader reader, ref TSink sink, string side, int index)
        where TSink : struct, ISnapshotValueSink
    {
        ExpectArray(ref reader, OrderBookLevels.Count, side, index);
        for (int level = 0; level < OrderBookLevels.Count; level++)
        {
            ExpectArray(ref reader, MessagePackSnapshotLayout.LevelFieldCount, "level", index);
            sink.Add(ReadInt32(ref reader, index));
            sink.Add(ReadInt32(ref reader, index));
        }
    }

    private static void ExpectArray(ref MessagePackSpanReader reader, int expected, string what, int index)
    {
        if (!reader.TryReadArrayHeader(out int count))
        {
            ThrowProblem(index, reader.DescribeArrayHeaderProblem());
        }

        if (count != expected)
        {
            ThrowWrongLength(what, count, expected, index);
        }
    }

    // Not inlined: one body serves every 32-bit field of the checking path (see MessagePackUncheckedReader on why).
    private static int ReadInt32(ref MessagePackSpanReader reader, int index) =>
        reader.TryReadInt32(out int value) ? value : (int)ThrowIntegerProblem(ref reader, 32, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long ReadInt64(ref MessagePackSpanReader reader, int index) =>
        reader.TryReadInt64(out long value) ? value : ThrowIntegerProblem(ref reader, 64, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ThrowIfBytesFollow(long count)
    {
        if (count != 0)
        {
            ThrowBytesFollow(count);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBytesFollow(long count) => ThrowProblem(InHeader, $"{count} unexpected bytes after the snapshot");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long ThrowIntegerProblem(ref MessagePackSpanReader reader, int bits, int index)
    {
        ThrowProblem(index, reader.DescribeIntegerProblem(bits));
        return 0;
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowWrongLength(string what, int count, int expected, int index) =>
        ThrowProblem(index, $"{what} has {count} elements, expected {expected}");

    /// <summary>Names the instrument (the primitives know only bytes, counted from the instrument's start).</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowProblem(int index, string problem) =>
        SnapshotFormatException.Throw(MessagePackSnapshotCodec.CodecName, index == InHeader ? problem : $"instrument {index}: {problem}");
}
