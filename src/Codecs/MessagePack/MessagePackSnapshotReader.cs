using System.Buffers;
using global::MessagePack;

namespace ShmIpc.Codecs.MessagePack;

/// <summary>
/// Reads a MessagePack snapshot (<see cref="MessagePackSnapshotLayout"/>) in place with the library's
/// <see cref="MessagePackReader"/>: no copy, no allocation, multi-segment sequences included. A
/// forward-only view: the constructor reads the header, then <see cref="TryReadInstrument"/> yields
/// each instrument, then <see cref="ReadEnd"/> checks nothing follows. Every structural count is
/// checked (3 / 7 / 5 / 2 fields, at most <see cref="MarketSnapshot.MaxInstrumentCount"/> instruments)
/// and the library's exceptions for truncation, wrong types and out-of-range integers become
/// <see cref="SnapshotFormatException"/>.
/// </summary>
public ref struct MessagePackSnapshotReader
{
    private MessagePackReader _reader;
    private int _remaining;

    public MessagePackSnapshotReader(in ReadOnlySequence<byte> encoded)
    {
        _reader = new MessagePackReader(encoded);
        try
        {
            ExpectArray(ref _reader, MessagePackSnapshotLayout.SnapshotFieldCount, "snapshot");
            Sequence = _reader.ReadInt64();
            SendTimestampNs = _reader.ReadInt64();
            int count = _reader.ReadArrayHeader();
            if ((uint)count > MarketSnapshot.MaxInstrumentCount)
            {
                throw Problem($"instrument count {count} exceeds {MarketSnapshot.MaxInstrumentCount}");
            }

            InstrumentCount = count;
            _remaining = count;
        }
        catch (Exception exception) when (IsLibraryFormatError(exception))
        {
            throw Problem(Describe(exception), exception);
        }
    }

    public long Sequence { get; }

    public long SendTimestampNs { get; }

    public int InstrumentCount { get; }

    /// <summary>Reads the next instrument; false when all <see cref="InstrumentCount"/> have been read.</summary>
    public bool TryReadInstrument(out InstrumentSnapshot instrument)
    {
        instrument = default;
        if (_remaining == 0)
        {
            return false;
        }

        try
        {
            ExpectArray(ref _reader, MessagePackSnapshotLayout.InstrumentFieldCount, "instrument");
            instrument.InstrumentId = _reader.ReadInt32();
            instrument.LastPrice = _reader.ReadInt32();
            instrument.Volume = _reader.ReadInt64();
            instrument.Turnover = _reader.ReadInt64();
            instrument.ExchangeTimestampNs = _reader.ReadInt64();
            ReadLevels(ref _reader, ref instrument.Bids, "bids");
            ReadLevels(ref _reader, ref instrument.Asks, "asks");
        }
        catch (Exception exception) when (IsLibraryFormatError(exception))
        {
            throw Problem($"instrument {InstrumentCount - _remaining}: {Describe(exception)}", exception);
        }

        _remaining--;
        return true;
    }

    /// <summary>Checks that every instrument was read and no bytes follow the snapshot.</summary>
    public readonly void ReadEnd()
    {
        if (_remaining != 0)
        {
            throw Problem($"{_remaining} instruments were not read");
        }

        if (!_reader.End)
        {
            throw Problem($"{_reader.Sequence.Length - _reader.Consumed} unexpected bytes after the snapshot");
        }
    }

    private static void ReadLevels(ref MessagePackReader reader, ref OrderBookLevels levels, string side)
    {
        ExpectArray(ref reader, OrderBookLevels.Count, side);
        for (int level = 0; level < OrderBookLevels.Count; level++)
        {
            ExpectArray(ref reader, MessagePackSnapshotLayout.LevelFieldCount, "level");
            levels[level].Price = reader.ReadInt32();
            levels[level].Quantity = reader.ReadInt32();
        }
    }

    private static void ExpectArray(ref MessagePackReader reader, int expected, string what)
    {
        int count = reader.ReadArrayHeader();
        if (count != expected)
        {
            throw Problem($"{what} has {count} elements, expected {expected}");
        }
    }

    // What MessagePackReader throws on bad bytes: truncation (EndOfStream), a wrong type code
    // (MessagePackSerializationException), an integer too large for the field (Overflow).
    private static bool IsLibraryFormatError(Exception exception) =>
        exception is MessagePackSerializationException or EndOfStreamException or OverflowException;

    private static string Describe(Exception exception) => exception is EndOfStreamException
        ? $"truncated: a value or a count runs past the end of the buffer ({exception.Message})"
        : exception.Message;

    private static SnapshotFormatException Problem(string problem, Exception? inner = null) =>
        new(MessagePackSnapshotCodec.CodecName, problem, inner);
}
