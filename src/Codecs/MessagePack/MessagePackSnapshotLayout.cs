namespace ShmIpc.Codecs.MessagePack;

/// <summary>
/// The MessagePack schema of a snapshot (the source of truth, with <see cref="MessagePackSnapshotObject"/>
/// as its typed mirror): arrays with positional (integer-key) fields, never maps with string keys.
/// <code>
/// Snapshot   = array(3)  [ sequence int64, send_timestamp_ns int64, instruments array(n) of Instrument ]
/// Instrument = array(7)  [ instrument_id int32, last_price int32, volume int64, turnover int64,
///                          exchange_timestamp_ns int64, bids array(5) of Level, asks array(5) of Level ]
/// Level      = array(2)  [ price int32, quantity int32 ]
/// </code>
/// Integers use MessagePack's smallest encoding for the value (as <c>MessagePackWriter</c> does), so
/// the size depends on the values: 15,857 bytes for the generator's 128 instruments (large prices,
/// turnovers and timestamps take 5 or 9 bytes each), more than the raw layout.
/// </summary>
public static class MessagePackSnapshotLayout
{
    /// <summary>Elements of the snapshot array: sequence, send timestamp, instruments.</summary>
    public const int SnapshotFieldCount = 3;
    /// <summary>Elements of an instrument array: id, last price, volume, turnover, exchange timestamp, bids, asks.</summary>
    public const int InstrumentFieldCount = 7;
    /// <summary>Elements of a level array: price, quantity.</summary>
    public const int LevelFieldCount = 2;

    // Worst cases: int32 5 bytes (d2 + 4), int64 9 bytes (d3 + 8), array header 1 (fixarray) or 5 (array32).
    private const int MaxHeaderLength = 1 + 9 + 9 + 5;
    private const int MaxLevelLength = 1 + 5 + 5;
    internal const int MaxScalarsLength = 1 + 5 + 5 + 9 + 9 + 9; // the instrument's header, 2 int32s and 3 int64s
    internal const int MaxInstrumentLength = MaxScalarsLength + (2 * (1 + (OrderBookLevels.Count * MaxLevelLength)));

    // The longest any valid encoding can make them (what a reader gathering a straddling part must allow for):
    // array 32 headers (5 bytes) and 64-bit integers (9 bytes) everywhere, whatever the values.
    internal const int LongestHeaderAnyEncoding = 5 + 9 + 9 + 5;
    internal const int LongestInstrumentAnyEncoding = ((1 + 2 + (2 * OrderBookLevels.Count)) * 5) + ((5 + (2 * OrderBookLevels.Count * LevelFieldCount)) * 9);

    // The arrays' headers as the writer emits them (fixarray = 0x90 | count).
    internal const byte SnapshotArrayCode = 0x90 | SnapshotFieldCount;
    internal const byte InstrumentArrayCode = 0x90 | InstrumentFieldCount;
    internal const byte LevelsArrayCode = 0x90 | OrderBookLevels.Count;
    internal const byte LevelArrayCode = 0x90 | LevelFieldCount;

    /// <summary>Upper bound of the encoded length for <paramref name="instrumentCount"/> instruments (any values).</summary>
    public static int GetMaxEncodedLength(int instrumentCount)
    {
        MarketSnapshot.ValidateCount(instrumentCount);
        return MaxHeaderLength + (instrumentCount * MaxInstrumentLength);
    }
}
