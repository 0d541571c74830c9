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

    public const int RootOffsetPosition = 0;
    public const int FileIdentifierPosition = 4;
    public const int VTablePosition = 8;
    public const int VTableLength = 10;
    public const int TablePosition = 20;
    public const int TableInlineLength = 24;

    /// <summary>Field offsets inside the table, as stored in the vtable.</summary>
    public const int SequenceFieldOffset = 4;
    public const int SendTimestampNsFieldOffset = 12;
    public const int InstrumentsFieldOffset = 20;

    /// <summary>vtable slot of field <c>id</c> is at vtable + 4 + 2 × id.</summary>
    public const int SequenceFieldId = 0;
    public const int SendTimestampNsFieldId = 1;
    public const int InstrumentsFieldId = 2;

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
