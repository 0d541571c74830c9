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
/// the size depends on the values: about 6.8 KB for 128 generated instruments.
/// </summary>
public static class MessagePackSnapshotLayout
{
    public const int SnapshotFieldCount = 3;
    public const int InstrumentFieldCount = 7;
    public const int LevelFieldCount = 2;

    // Worst cases: int32 5 bytes (d2 + 4), int64 9 bytes (d3 + 8), array header 1 (fixarray) or 5 (array32).
    private const int MaxHeaderLength = 1 + 9 + 9 + 5;
    private const int MaxLevelLength = 1 + 5 + 5;
    private const int MaxInstrumentLength = 1 + 5 + 5 + 9 + 9 + 9 + (2 * (1 + (OrderBookLevels.Count * MaxLevelLength)));

    /// <summary>Upper bound of the encoded length for <paramref name="instrumentCount"/> instruments (any values).</summary>
    public static int GetMaxEncodedLength(int instrumentCount)
    {
        MarketSnapshot.ValidateCount(instrumentCount);
        return MaxHeaderLength + (instrumentCount * MaxInstrumentLength);
    }
}
