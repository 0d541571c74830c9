using global::MessagePack;

namespace ShmIpc.Codecs.MessagePack;

/// <summary>
/// The typed mirror of <see cref="MessagePackSnapshotLayout"/> for the usual
/// <c>MessagePackSerializer</c> path (integer keys serialise as arrays). Same bytes as
/// <see cref="MessagePackSnapshotCodec"/>; used for comparison and to prove the schema.
/// </summary>
[MessagePackObject]
public sealed class MessagePackSnapshotObject
{
    /// <summary>The publisher's sequence number.</summary>
    [Key(0)]
    public long Sequence { get; set; }

    /// <summary>The send time, CLOCK_MONOTONIC nanoseconds.</summary>
    [Key(1)]
    public long SendTimestampNs { get; set; }

    /// <summary>The instruments, in order.</summary>
    [Key(2)]
    public IList<MessagePackInstrumentObject> Instruments { get; set; } = [];
}

/// <summary>One instrument of <see cref="MessagePackSnapshotObject"/>.</summary>
[MessagePackObject]
public sealed class MessagePackInstrumentObject
{
    /// <summary>The instrument's id.</summary>
    [Key(0)]
    public int InstrumentId { get; set; }

    /// <summary>The last traded price, in ticks.</summary>
    [Key(1)]
    public int LastPrice { get; set; }

    /// <summary>Traded volume so far.</summary>
    [Key(2)]
    public long Volume { get; set; }

    /// <summary>Traded value so far, in ticks × quantity.</summary>
    [Key(3)]
    public long Turnover { get; set; }

    /// <summary>The exchange's time of the last update, nanoseconds.</summary>
    [Key(4)]
    public long ExchangeTimestampNs { get; set; }

    /// <summary>The five bid levels, best first.</summary>
    [Key(5)]
    public IList<MessagePackPriceLevelObject> Bids { get; set; } = [];

    /// <summary>The five ask levels, best first.</summary>
    [Key(6)]
    public IList<MessagePackPriceLevelObject> Asks { get; set; } = [];
}

/// <summary>One level of <see cref="MessagePackInstrumentObject"/>.</summary>
[MessagePackObject]
public sealed class MessagePackPriceLevelObject
{
    /// <summary>The level's price, in ticks.</summary>
    [Key(0)]
    public int Price { get; set; }

    /// <summary>The quantity at that price.</summary>
    [Key(1)]
    public int Quantity { get; set; }
}
