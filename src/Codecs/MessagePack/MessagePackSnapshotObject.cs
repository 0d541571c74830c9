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
    [Key(0)]
    public long Sequence { get; set; }

    [Key(1)]
    public long SendTimestampNs { get; set; }

    [Key(2)]
    public IList<MessagePackInstrumentObject> Instruments { get; set; } = [];
}

/// <summary>One instrument of <see cref="MessagePackSnapshotObject"/>.</summary>
[MessagePackObject]
public sealed class MessagePackInstrumentObject
{
    [Key(0)]
    public int InstrumentId { get; set; }

    [Key(1)]
    public int LastPrice { get; set; }

    [Key(2)]
    public long Volume { get; set; }

    [Key(3)]
    public long Turnover { get; set; }

    [Key(4)]
    public long ExchangeTimestampNs { get; set; }

    [Key(5)]
    public IList<MessagePackPriceLevelObject> Bids { get; set; } = [];

    [Key(6)]
    public IList<MessagePackPriceLevelObject> Asks { get; set; } = [];
}

/// <summary>One level of <see cref="MessagePackInstrumentObject"/>.</summary>
[MessagePackObject]
public sealed class MessagePackPriceLevelObject
{
    [Key(0)]
    public int Price { get; set; }

    [Key(1)]
    public int Quantity { get; set; }
}
