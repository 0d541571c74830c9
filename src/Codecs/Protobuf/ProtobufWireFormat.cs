namespace ShmIpc.Codecs.Protobuf;

/// <summary>
/// <c>snapshot.proto</c>'s tags (field number &lt;&lt; 3 | wire type) and the wire format's sizes: the one place the
/// in-place writer and reader take them from. A tag with another wire type for a known number is an unknown field
/// (skipped), as in the generated classes.
/// </summary>
internal static class ProtobufWireFormat
{
    public const int WireTypeVarint = 0;
    public const int WireTypeFixed64 = 1;
    public const int WireTypeLengthDelimited = 2;
    public const int WireTypeStartGroup = 3;
    public const int WireTypeEndGroup = 4;
    public const int WireTypeFixed32 = 5;

    /// <summary>A varint holds 7 bits a byte: 64 bits take at most 10 bytes (a negative int32 too: it is sign-extended).</summary>
    public const int MaxVarintLength = 10;

    // Snapshot.
    public const byte SequenceTag = (1 << 3) | WireTypeVarint;
    public const byte SendTimestampTag = (2 << 3) | WireTypeFixed64;
    public const byte InstrumentTag = (3 << 3) | WireTypeLengthDelimited;

    // Instrument.
    public const byte InstrumentIdTag = (1 << 3) | WireTypeVarint;
    public const byte LastPriceTag = (2 << 3) | WireTypeVarint;
    public const byte VolumeTag = (3 << 3) | WireTypeVarint;
    public const byte TurnoverTag = (4 << 3) | WireTypeVarint;
    public const byte ExchangeTimestampTag = (5 << 3) | WireTypeFixed64;
    public const int BidPricesField = 6;
    public const int BidQuantitiesField = 7;
    public const int AskPricesField = 8;
    public const int AskQuantitiesField = 9;

    /// <summary>The packed (length-delimited) tag of a repeated int32 field.</summary>
    public static byte PackedTag(int field) => (byte)((field << 3) | WireTypeLengthDelimited);

    /// <summary>The tag of one unpacked element of a repeated int32 field.</summary>
    public static byte ElementTag(int field) => (byte)((field << 3) | WireTypeVarint);

    /// <summary>Bytes the varint of <paramref name="value"/> takes.</summary>
    public static int VarintLength(ulong value) => (70 - System.Numerics.BitOperations.LeadingZeroCount(value | 1)) / 7;

    /// <summary>Bytes an int32 field's value takes: negatives are sign-extended to 64 bits, so 10.</summary>
    public static int Int32Length(int value) => VarintLength((ulong)(long)value);
}
