namespace ShmIpc.Codecs.Raw;

/// <summary>
/// The raw fixed layout (docs/snapshot-layout.md): a 32-byte header followed by
/// <c>InstrumentCount</c> 112-byte <see cref="InstrumentSnapshot"/> records. Little-endian throughout.
/// Every offset is a named constant; the header is a multiple of 8 so the records' int64 fields stay
/// 8-byte aligned when the buffer is (ring slots are 64-byte aligned).
/// <code>
/// offset size type    field
///      0    4 uint32  magic 0x50414E53 ("SNAP" as bytes 53 4E 41 50)
///      4    2 uint16  version (1)
///      6    2 uint16  header length (32)
///      8    4 int32   instrument count (0..65,536)
///     12    4 int32   instrument record length (112)
///     16    8 int64   sequence
///     24    8 int64   send timestamp, ns
///     32  112×n       instruments
/// </code>
/// </summary>
public static class RawSnapshotLayout
{
    /// <summary>"SNAP" read as a little-endian uint32.</summary>
    public const uint Magic = 0x50414E53;

    /// <summary>Bumped on any incompatible change; readers reject other versions.</summary>
    public const ushort Version = 1;

    /// <summary>Byte offset of the u32 magic.</summary>
    public const int MagicOffset = 0;
    /// <summary>Byte offset of the u16 version.</summary>
    public const int VersionOffset = 4;
    /// <summary>Byte offset of the u16 header length.</summary>
    public const int HeaderLengthOffset = 6;
    /// <summary>Byte offset of the i32 instrument count.</summary>
    public const int InstrumentCountOffset = 8;
    /// <summary>Byte offset of the i32 instrument record length.</summary>
    public const int InstrumentLengthOffset = 12;
    /// <summary>Byte offset of the i64 sequence.</summary>
    public const int SequenceOffset = 16;
    /// <summary>Byte offset of the i64 send timestamp (ns).</summary>
    public const int SendTimestampNsOffset = 24;

    /// <summary>Header size in bytes; instruments start here.</summary>
    public const int HeaderLength = 32;

    /// <summary>Size of one instrument record.</summary>
    public const int InstrumentLength = InstrumentSnapshotLayout.Size;

    /// <summary>Exact encoded length for <paramref name="instrumentCount"/> instruments.</summary>
    public static int GetEncodedLength(int instrumentCount)
    {
        MarketSnapshot.ValidateCount(instrumentCount);
        return HeaderLength + (instrumentCount * InstrumentLength);
    }
}
