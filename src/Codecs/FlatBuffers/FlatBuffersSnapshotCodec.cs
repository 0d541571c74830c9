using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ShmIpc.Codecs.FlatBuffers;

/// <summary>
/// FlatBuffers (<c>snapshot.fbs</c>). Encode writes the FlatBuffer front to back straight into the
/// destination in the fixed shape of <see cref="FlatBuffersSnapshotLayout"/> (the official
/// <c>FlatBufferBuilder</c> builds back to front in its own <c>byte[]</c>, which would cost a copy
/// out; <see cref="FlatBuffersOfficialSnapshotEncoder"/> keeps that path for comparison).
/// Read verifies and reads in place with <see cref="FlatBuffersSnapshotReader"/>; allocation-free.
/// A multi-segment sequence is copied once into a buffer this instance reuses: one instance per thread.
/// </summary>
public sealed class FlatBuffersSnapshotCodec : ISnapshotCodec
{
    /// <summary>The registry name of this codec (<see cref="SnapshotCodecs.Get"/>).</summary>
    public const string CodecName = "fb";

    private readonly ContiguousCopyBuffer _segmentCopy = new(CodecName, FlatBuffersSnapshotLayout.LongestAcceptedLength);

    /// <summary>A codec with its own scratch state; use one instance per thread.</summary>
    public FlatBuffersSnapshotCodec()
    {
        OverlaidSnapshot.ThrowIfHostIsBigEndian();
    }

    /// <inheritdoc />
    public string Name => CodecName;

    /// <inheritdoc />
    public int GetMaxEncodedLength(int instrumentCount) => FlatBuffersSnapshotLayout.GetEncodedLength(instrumentCount);

    /// <inheritdoc />
    public int Encode(MarketSnapshot snapshot, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        int count = snapshot.InstrumentCount;
        int length = FlatBuffersSnapshotLayout.GetEncodedLength(count);
        if (destination.Length < length)
        {
            throw new ArgumentException($"fb: destination of {destination.Length} bytes is smaller than the {length}-byte encoding", nameof(destination));
        }

        BinaryPrimitives.WriteUInt32LittleEndian(destination, FlatBuffersSnapshotLayout.TablePosition);
        FlatBuffersSnapshotLayout.FileIdentifier.CopyTo(destination[FlatBuffersSnapshotLayout.FileIdentifierPosition..]);

        Span<byte> vtable = destination.Slice(FlatBuffersSnapshotLayout.VTablePosition, FlatBuffersSnapshotLayout.TablePosition - FlatBuffersSnapshotLayout.VTablePosition);
        BinaryPrimitives.WriteUInt16LittleEndian(vtable, FlatBuffersSnapshotLayout.VTableLength);
        BinaryPrimitives.WriteUInt16LittleEndian(vtable[2..], FlatBuffersSnapshotLayout.TableInlineLength);
        BinaryPrimitives.WriteUInt16LittleEndian(vtable[4..], FlatBuffersSnapshotLayout.SequenceFieldOffset);
        BinaryPrimitives.WriteUInt16LittleEndian(vtable[6..], FlatBuffersSnapshotLayout.SendTimestampNsFieldOffset);
        BinaryPrimitives.WriteUInt16LittleEndian(vtable[8..], FlatBuffersSnapshotLayout.InstrumentsFieldOffset);
        BinaryPrimitives.WriteUInt16LittleEndian(vtable[10..], 0); // padding up to the 4-aligned table

        Span<byte> table = destination.Slice(FlatBuffersSnapshotLayout.TablePosition, FlatBuffersSnapshotLayout.TableInlineLength);
        BinaryPrimitives.WriteInt32LittleEndian(table, FlatBuffersSnapshotLayout.TablePosition - FlatBuffersSnapshotLayout.VTablePosition);
        BinaryPrimitives.WriteInt64LittleEndian(table[FlatBuffersSnapshotLayout.SequenceFieldOffset..], snapshot.Sequence);
        BinaryPrimitives.WriteInt64LittleEndian(table[FlatBuffersSnapshotLayout.SendTimestampNsFieldOffset..], snapshot.SendTimestampNs);
        BinaryPrimitives.WriteUInt32LittleEndian(
            table[FlatBuffersSnapshotLayout.InstrumentsFieldOffset..],
            FlatBuffersSnapshotLayout.VectorLengthPosition - (FlatBuffersSnapshotLayout.TablePosition + FlatBuffersSnapshotLayout.InstrumentsFieldOffset));

        BinaryPrimitives.WriteUInt32LittleEndian(destination[FlatBuffersSnapshotLayout.VectorLengthPosition..], (uint)count);
        MemoryMarshal.AsBytes(snapshot.Instruments).CopyTo(destination[FlatBuffersSnapshotLayout.InstrumentsPosition..]);
        return length;
    }

    /// <inheritdoc />
    public void Encode(MarketSnapshot snapshot, IBufferWriter<byte> writer) => BufferWriterEncoding.Encode(this, snapshot, writer);

    // Its own method, never inlined into a caller: the checksum loop keeps the JIT's whole inlining budget.
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.NoInlining)]
    public SnapshotDigest ReadEveryField(ReadOnlySpan<byte> encoded) => FlatBuffersSnapshotReader.Read(encoded).ReadEveryField();

    /// <summary>
    /// Single segment: read in place. Several segments: one copy into a reused buffer, then read
    /// (FlatBuffers offsets are absolute within the buffer, so it must be contiguous).
    /// </summary>
    public SnapshotDigest ReadEveryField(in ReadOnlySequence<byte> encoded) => ReadEveryField(_segmentCopy.ContiguousSpanOf(encoded));

    /// <inheritdoc />
    public void Decode(ReadOnlySpan<byte> encoded, MarketSnapshot destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        FlatBuffersSnapshotReader.Read(encoded).CopyTo(destination);
    }
}
