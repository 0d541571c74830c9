using System.Diagnostics.CodeAnalysis;

namespace ShmIpc.Codecs.FlatBuffers;

/// <summary>
/// Our own verifier and accessor for a <c>snapshot.fbs</c> FlatBuffer over a <see cref="ReadOnlySpan{T}"/> (the
/// official runtime reads only <c>byte[]</c>): the schema on top of <see cref="FlatBuffersSpanReader"/>, so it reads
/// buffers from the official builder as well as ours. The instruments vector is overlaid on the bytes
/// (<see cref="OverlaidSnapshot"/>): a FlatBuffers struct is a fixed little-endian record, and ours is exactly the
/// 112-byte record. Offsets are absolute within the buffer, so a split sequence is made contiguous by the codec
/// (<see cref="ContiguousCopyBuffer"/>).
/// </summary>
public static class FlatBuffersSnapshotReader
{
    /// <summary>Verifies and returns the view; throws <see cref="SnapshotFormatException"/>.</summary>
    public static OverlaidSnapshot Read(ReadOnlySpan<byte> encoded)
    {
        if (!TryRead(encoded, out OverlaidSnapshot snapshot, out string? problem))
        {
            SnapshotFormatException.Throw(FlatBuffersSnapshotCodec.CodecName, problem);
        }

        return snapshot;
    }

    /// <summary>Verifies without throwing; <paramref name="problem"/> says what is wrong.</summary>
    public static bool TryRead(ReadOnlySpan<byte> encoded, out OverlaidSnapshot snapshot, [NotNullWhen(false)] out string? problem)
    {
        snapshot = default;
        if (!FlatBuffersSpanReader.TryReadRootTable(encoded, FlatBuffersSnapshotLayout.FileIdentifier, out FlatBuffersSpanReader table, out problem)
            || !table.TryReadInt64(FlatBuffersSnapshotLayout.SequenceFieldId, "sequence", out long sequence, out problem)
            || !table.TryReadInt64(FlatBuffersSnapshotLayout.SendTimestampNsFieldId, "send_timestamp_ns", out long sendTimestampNs, out problem)
            || !table.TryReadVector(FlatBuffersSnapshotLayout.InstrumentsFieldId, "instruments", out long instrumentsPosition, out uint count, out problem))
        {
            return false;
        }

        if (!SnapshotFormatGuards.IsValidInstrumentCount(count))
        {
            problem = SnapshotFormatGuards.InstrumentCountProblem(count);
            return false;
        }

        if (!table.TryReadStructs(instrumentsPosition, count, InstrumentSnapshotLayout.Size, "instruments", out ReadOnlySpan<byte> records, out problem))
        {
            return false;
        }

        snapshot = new OverlaidSnapshot(sequence, sendTimestampNs, OverlaidSnapshot.Overlay(records));
        return true;
    }
}
