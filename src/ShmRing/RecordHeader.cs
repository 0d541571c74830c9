using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ShmIpc.ShmRing;

/// <summary>
/// Typed access to the 64-byte header of the record at one place in the data region, and to its payload, at
/// <see cref="RingLayout"/>'s offsets. Made by <see cref="DataRegion.HeaderAt"/> (which checks, in debug builds, that
/// the header lies inside the mapping); lives in a local.
/// </summary>
/// <remarks>
/// Holds a managed reference to the header's first byte rather than the mapping and an offset: on the hot paths (a
/// read, a publish) the JIT then keeps one register for the record, with no reload of the mapping's base between the
/// header's fields. The reference points into memory the GC does not own, which it allows for a ref field.
/// </remarks>
internal readonly ref struct RecordHeader
{
    private readonly ref byte _start;

    public RecordHeader(ref byte start) => _start = ref start;

    /// <summary>CommitTag(position): release-stored last by the producer; the record is published once it matches.</summary>
    public ref ulong CommitTag => ref Field<ulong>(RingLayout.RecordCommitOffset);

    /// <summary>Bytes the record occupies, header included, a multiple of 64.</summary>
    public ref uint Length => ref Field<uint>(RingLayout.RecordLengthOffset);

    public ref uint PayloadLength => ref Field<uint>(RingLayout.RecordPayloadLengthOffset);

    /// <summary>&gt;= 0 a user type; <see cref="RingLayout.PaddingType"/> a padding record.</summary>
    public ref int Type => ref Field<int>(RingLayout.RecordTypeOffset);

    /// <summary>MPSC: the claim word this record's claim replaced; SPSC: 0.</summary>
    public ref ulong ClaimedAfter => ref Field<ulong>(RingLayout.RecordClaimedAfterOffset);

    /// <summary>Broadcast: the record's sequence number, from 1 (the same field as <see cref="ClaimedAfter"/>).</summary>
    public ref ulong Sequence => ref Field<ulong>(Broadcast.BroadcastLayout.RecordSequenceOffset);

    /// <summary>The payload after the header, <paramref name="length"/> bytes (the caller keeps it inside the record).</summary>
    public Span<byte> Payload(int length) => MemoryMarshal.CreateSpan(ref Unsafe.Add(ref _start, RingLayout.RecordHeaderLength), length);

    private ref T Field<T>(int offset)
        where T : unmanaged
        => ref Unsafe.As<byte, T>(ref Unsafe.Add(ref _start, offset));
}
