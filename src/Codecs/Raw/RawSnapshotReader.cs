using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace ShmIpc.Codecs.Raw;

/// <summary>
/// Reads a raw-encoded snapshot (<see cref="RawSnapshotLayout"/>) in place: checks the header against the buffer's
/// length, then overlays the instrument records (<see cref="OverlaidSnapshot"/>). The layout is fixed, so its
/// primitives are little-endian reads at the layout's offsets, made once the buffer is known to hold the header.
/// A split sequence is made contiguous by the codec (<see cref="ContiguousCopyBuffer"/>).
/// </summary>
public static class RawSnapshotReader
{
    /// <summary>Validates and returns the view; throws <see cref="SnapshotFormatException"/>.</summary>
    public static OverlaidSnapshot Read(ReadOnlySpan<byte> encoded)
    {
        if (!TryRead(encoded, out OverlaidSnapshot snapshot, out string? problem))
        {
            SnapshotFormatException.Throw(RawSnapshotCodec.CodecName, problem);
        }

        return snapshot;
    }

    /// <summary>Validates without throwing; <paramref name="problem"/> says what is wrong.</summary>
    public static bool TryRead(ReadOnlySpan<byte> encoded, out OverlaidSnapshot snapshot, [NotNullWhen(false)] out string? problem)
    {
        snapshot = default;
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
        if (!SnapshotFormatGuards.IsValidInstrumentCount(count))
        {
            problem = SnapshotFormatGuards.InstrumentCountProblem(count);
            return false;
        }

        int expectedLength = RawSnapshotLayout.HeaderLength + (count * RawSnapshotLayout.InstrumentLength);
        if (encoded.Length != expectedLength)
        {
            problem = $"buffer of {encoded.Length} bytes does not match {count} instruments ({expectedLength} bytes)";
            return false;
        }

        snapshot = new OverlaidSnapshot(
            BinaryPrimitives.ReadInt64LittleEndian(encoded[RawSnapshotLayout.SequenceOffset..]),
            BinaryPrimitives.ReadInt64LittleEndian(encoded[RawSnapshotLayout.SendTimestampNsOffset..]),
            OverlaidSnapshot.Overlay(encoded[RawSnapshotLayout.HeaderLength..]));
        problem = null;
        return true;
    }
}
