using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace ShmIpc.Codecs.Raw;

/// <summary>
/// A validated view of a raw-encoded snapshot: header values and the instruments as a
/// <see cref="ReadOnlySpan{T}"/> of <see cref="InstrumentSnapshot"/> overlaid on the bytes (no copy).
/// Valid only as long as the underlying buffer.
/// </summary>
public readonly ref struct RawSnapshotReader
{
    private RawSnapshotReader(long sequence, long sendTimestampNs, ReadOnlySpan<InstrumentSnapshot> instruments)
    {
        Sequence = sequence;
        SendTimestampNs = sendTimestampNs;
        Instruments = instruments;
    }

    public long Sequence { get; }

    public long SendTimestampNs { get; }

    public int InstrumentCount => Instruments.Length;

    /// <summary>The instrument records, in place.</summary>
    public ReadOnlySpan<InstrumentSnapshot> Instruments { get; }

    /// <summary>Validates the header and the length, then returns the view; throws <see cref="SnapshotFormatException"/>.</summary>
    public static RawSnapshotReader Create(ReadOnlySpan<byte> encoded)
    {
        if (!TryCreate(encoded, out RawSnapshotReader reader, out string? problem))
        {
            throw new SnapshotFormatException(RawSnapshotCodec.CodecName, problem);
        }

        return reader;
    }

    /// <summary>Validates without throwing; <paramref name="problem"/> says what is wrong.</summary>
    public static bool TryCreate(ReadOnlySpan<byte> encoded, out RawSnapshotReader reader, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? problem)
    {
        reader = default;
        if (encoded.Length < RawSnapshotLayout.HeaderLength)
        {
            problem = $"buffer of {encoded.Length} bytes is shorter than the {RawSnapshotLayout.HeaderLength}-byte header";
            return false;
        }

        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(encoded[RawSnapshotLayout.MagicOffset..]);
        if (magic != RawSnapshotLayout.Magic)
        {
            problem = $"magic 0x{magic:X8} is not 0x{RawSnapshotLayout.Magic:X8} (\"SNAP\")";
            return false;
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(encoded[RawSnapshotLayout.VersionOffset..]);
        if (version != RawSnapshotLayout.Version)
        {
            problem = $"version {version} is not supported (expected {RawSnapshotLayout.Version})";
            return false;
        }

        ushort headerLength = BinaryPrimitives.ReadUInt16LittleEndian(encoded[RawSnapshotLayout.HeaderLengthOffset..]);
        int instrumentLength = BinaryPrimitives.ReadInt32LittleEndian(encoded[RawSnapshotLayout.InstrumentLengthOffset..]);
        if (headerLength != RawSnapshotLayout.HeaderLength || instrumentLength != RawSnapshotLayout.InstrumentLength)
        {
            problem = $"header length {headerLength} / instrument length {instrumentLength} do not match version 1 ({RawSnapshotLayout.HeaderLength} / {RawSnapshotLayout.InstrumentLength})";
            return false;
        }

        int count = BinaryPrimitives.ReadInt32LittleEndian(encoded[RawSnapshotLayout.InstrumentCountOffset..]);
        if ((uint)count > MarketSnapshot.MaxInstrumentCount)
        {
            problem = $"instrument count {count} is outside 0..{MarketSnapshot.MaxInstrumentCount}";
            return false;
        }

        int expectedLength = RawSnapshotLayout.HeaderLength + (count * RawSnapshotLayout.InstrumentLength);
        if (encoded.Length != expectedLength)
        {
            problem = $"buffer of {encoded.Length} bytes does not match {count} instruments ({expectedLength} bytes)";
            return false;
        }

        // Overlay: the records are little-endian and unpadded, exactly InstrumentSnapshot's layout
        // (the codec refuses to run on a big-endian host). Unaligned starts are fine on x64 and arm64.
        ReadOnlySpan<InstrumentSnapshot> instruments = MemoryMarshal.Cast<byte, InstrumentSnapshot>(encoded[RawSnapshotLayout.HeaderLength..]);
        reader = new RawSnapshotReader(
            BinaryPrimitives.ReadInt64LittleEndian(encoded[RawSnapshotLayout.SequenceOffset..]),
            BinaryPrimitives.ReadInt64LittleEndian(encoded[RawSnapshotLayout.SendTimestampNsOffset..]),
            instruments);
        problem = null;
        return true;
    }
}
