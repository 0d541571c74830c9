namespace ShmIpc.Codecs.FlatBuffers;

/// <summary>
/// The exact bytes <see cref="FlatBuffersSnapshotCodec"/> writes: a valid FlatBuffer of
/// <c>snapshot.fbs</c> (root <c>Snapshot</c>, identifier "SNAP") in one fixed shape, written front to
/// back straight into the destination. Readers must accept any valid FlatBuffer (the official
/// builder places things differently); only our writer uses these offsets.
/// <code>
/// offset size type     field
///      0    4 uint32   root table offset (= 20)
///      4    4 char[4]  file identifier "SNAP"
///      8    2 uint16   vtable: vtable size (= 10)
///     10    2 uint16   vtable: table inline size (= 24)
///     12    2 uint16   vtable: field 0 sequence at table + 4
///     14    2 uint16   vtable: field 1 send_timestamp_ns at table + 12
///     16    2 uint16   vtable: field 2 instruments at table + 20
///     18    2          padding (zero)
///     20    4 int32    table: soffset to vtable (= 20 − 8 = 12)
///     24    8 int64    sequence
///     32    8 int64    send timestamp, ns
///     40    4 uint32   offset to the instruments vector (= 4, so the vector is at 44)
///     44    4 uint32   vector length = instrument count
///     48  112×n        Instrument structs (the 112-byte record of InstrumentSnapshotLayout), 8-byte aligned
/// </code>
/// All fields are written even when zero (FlatBuffers lets a writer omit defaults; we never do, so
/// the size and offsets do not depend on the values).
/// </summary>
public static class FlatBuffersSnapshotLayout
{
    /// <summary>The schema's <c>file_identifier</c>, as the four bytes at <see cref="FileIdentifierPosition"/>.</summary>
    public static ReadOnlySpan<byte> FileIdentifier => "SNAP"u8;

    /// <summary>
    /// The longest buffer a reader accepts (and copies, for a split sequence): our shape at the largest instrument count,
    /// plus room for another builder's padding and for trailing bytes (FlatBuffers permits them).
    /// </summary>
    public const int LongestAcceptedLength = InstrumentsPosition + (MarketSnapshot.MaxInstrumentCount * InstrumentSnapshotLayout.Size) + 4096;

    /// <summary>Byte position of the u32 offset of the root table.</summary>
    public const int RootOffsetPosition = 0;
    /// <summary>Byte position of the four-byte file identifier.</summary>
    public const int FileIdentifierPosition = 4;
    /// <summary>Byte position of the root table's vtable.</summary>
    public const int VTablePosition = 8;
    /// <summary>Bytes in that vtable: its two u16 lengths and one u16 per field.</summary>
    public const int VTableLength = 10;
    /// <summary>Byte position of the root table (its first four bytes are the signed offset back to the vtable).</summary>
    public const int TablePosition = 20;
    /// <summary>Bytes of the root table's inline part: the vtable offset and the three fields.</summary>
    public const int TableInlineLength = 24;

    /// <summary>Field offsets inside the table, as stored in the vtable.</summary>
    public const int SequenceFieldOffset = 4;
    /// <summary>Offset of the send timestamp (i64) inside the table.</summary>
    public const int SendTimestampNsFieldOffset = 12;
    /// <summary>Offset of the instruments vector's u32 offset inside the table.</summary>
    public const int InstrumentsFieldOffset = 20;

    /// <summary>vtable slot of field <c>id</c> is at vtable + 4 + 2 × id.</summary>
    public const int SequenceFieldId = 0;
    /// <summary>Schema field id of the send timestamp.</summary>
    public const int SendTimestampNsFieldId = 1;
    /// <summary>Schema field id of the instruments vector.</summary>
    public const int InstrumentsFieldId = 2;

    /// <summary>Byte position of the instruments vector's u32 length, right after the table.</summary>
    public const int VectorLengthPosition = TablePosition + TableInlineLength;

    /// <summary>Where the instrument structs start; a multiple of 8.</summary>
    public const int InstrumentsPosition = VectorLengthPosition + sizeof(uint);

    /// <summary>Exact length of our writer's encoding for <paramref name="instrumentCount"/> instruments.</summary>
    public static int GetEncodedLength(int instrumentCount)
    {
        MarketSnapshot.ValidateCount(instrumentCount);
        return InstrumentsPosition + (instrumentCount * InstrumentSnapshotLayout.Size);
    }
}
