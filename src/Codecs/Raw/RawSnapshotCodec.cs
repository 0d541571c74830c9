using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ShmIpc.Codecs.Raw;

/// <summary>
/// The raw fixed layout (<see cref="RawSnapshotLayout"/>): encode is a 32-byte header plus one block
/// copy of the instrument array; read overlays <see cref="InstrumentSnapshot"/> on the bytes.
/// Allocation-free. A multi-segment sequence is copied once into a buffer this instance reuses, so
/// use one instance per thread.
/// </summary>
public sealed class RawSnapshotCodec : ISnapshotCodec
{
    /// <summary>The registry name of this codec (<see cref="SnapshotCodecs.Get"/>).</summary>
    public const string CodecName = "raw";

    private readonly ContiguousCopyBuffer _segmentCopy = new(CodecName, RawSnapshotLayout.GetEncodedLength(MarketSnapshot.MaxInstrumentCount));

    /// <summary>A codec with its own scratch state; use one instance per thread.</summary>
    public RawSnapshotCodec()
    {
        OverlaidSnapshot.ThrowIfHostIsBigEndian();
    }

    /// <inheritdoc />
    public string Name => CodecName;

    /// <inheritdoc />
    public int GetMaxEncodedLength(int instrumentCount) => RawSnapshotLayout.GetEncodedLength(instrumentCount);

    /// <inheritdoc />
    public int Encode(MarketSnapshot snapshot, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        int length = RawSnapshotLayout.GetEncodedLength(snapshot.InstrumentCount);
        if (destination.Length < length)
        {
            throw new ArgumentException($"raw: destination of {destination.Length} bytes is smaller than the {length}-byte encoding", nameof(destination));
        }

        BinaryPrimitives.WriteUInt32LittleEndian(destination[RawSnapshotLayout.MagicOffset..], RawSnapshotLayout.Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[RawSnapshotLayout.VersionOffset..], RawSnapshotLayout.Version);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[RawSnapshotLayout.HeaderLengthOffset..], RawSnapshotLayout.HeaderLength);
        BinaryPrimitives.WriteInt32LittleEndian(destination[RawSnapshotLayout.InstrumentCountOffset..], snapshot.InstrumentCount);
        BinaryPrimitives.WriteInt32LittleEndian(destination[RawSnapshotLayout.InstrumentLengthOffset..], RawSnapshotLayout.InstrumentLength);
        BinaryPrimitives.WriteInt64LittleEndian(destination[RawSnapshotLayout.SequenceOffset..], snapshot.Sequence);
        BinaryPrimitives.WriteInt64LittleEndian(destination[RawSnapshotLayout.SendTimestampNsOffset..], snapshot.SendTimestampNs);
        MemoryMarshal.AsBytes(snapshot.Instruments).CopyTo(destination[RawSnapshotLayout.HeaderLength..]);
        return length;
    }

    /// <inheritdoc />
    public void Encode(MarketSnapshot snapshot, IBufferWriter<byte> writer) => BufferWriterEncoding.Encode(this, snapshot, writer);

    // Its own method, never inlined into a caller: the checksum loop keeps the JIT's whole inlining budget.
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.NoInlining)]
    public SnapshotDigest ReadEveryField(ReadOnlySpan<byte> encoded) => RawSnapshotReader.Read(encoded).ReadEveryField();

    /// <summary>Single segment: read in place. Several segments: one copy into a reused buffer, then read.</summary>
    public SnapshotDigest ReadEveryField(in ReadOnlySequence<byte> encoded) => ReadEveryField(_segmentCopy.ContiguousSpanOf(encoded));

    /// <inheritdoc />
    public void Decode(ReadOnlySpan<byte> encoded, MarketSnapshot destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        RawSnapshotReader.Read(encoded).CopyTo(destination);
    }
}
