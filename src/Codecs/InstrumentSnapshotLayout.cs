namespace ShmIpc.Codecs;

/// <summary>
/// Byte offsets of the 112-byte instrument record shared by the raw layout and the FlatBuffers
/// <c>Instrument</c> struct (little-endian, every field naturally aligned inside the record).
/// </summary>
public static class InstrumentSnapshotLayout
{
    /// <summary>int32 instrument id.</summary>
    public const int InstrumentIdOffset = 0;

    /// <summary>int32 last price, units of 10^-4.</summary>
    public const int LastPriceOffset = 4;

    /// <summary>int64 volume, whole units.</summary>
    public const int VolumeOffset = 8;

    /// <summary>int64 turnover, units of 10^-4.</summary>
    public const int TurnoverOffset = 16;

    /// <summary>int64 exchange timestamp, nanoseconds.</summary>
    public const int ExchangeTimestampNsOffset = 24;

    /// <summary>Five (price int32, quantity int32) bid levels, best first.</summary>
    public const int BidsOffset = 32;

    /// <summary>Five (price int32, quantity int32) ask levels, best first.</summary>
    public const int AsksOffset = BidsOffset + OrderBookLevels.Size;

    /// <summary>Record size; a multiple of 8, so consecutive records keep their int64 fields aligned.</summary>
    public const int Size = AsksOffset + OrderBookLevels.Size;

    /// <summary>Number of values in one record (the checksum visits each): 5 scalars + 2 × 5 × 2 level values.</summary>
    public const int ValueCount = 5 + (2 * OrderBookLevels.Count * 2);
}
