namespace ShmIpc.ShmRing;

/// <summary>
/// Typed access to the 64-byte header of the record at one place in the data region, and to its payload, at
/// <see cref="RingLayout"/>'s offsets. Made by <see cref="DataRegion.HeaderAt"/>; lives in a local, costs nothing.
/// </summary>
internal readonly ref struct RecordHeader
{
    private readonly MappedFile _file;
    private readonly long _offset;

    /// <param name="offset">The header's offset from the start of the file.</param>
    public RecordHeader(MappedFile file, long offset)
    {
        _file = file;
        _offset = offset;
    }

    /// <summary>CommitTag(position): release-stored last by the producer; the record is published once it matches.</summary>
    public ref ulong CommitTag => ref _file.At<ulong>(_offset + RingLayout.RecordCommitOffset);

    /// <summary>Bytes the record occupies, header included, a multiple of 64.</summary>
    public ref uint Length => ref _file.At<uint>(_offset + RingLayout.RecordLengthOffset);

    public ref uint PayloadLength => ref _file.At<uint>(_offset + RingLayout.RecordPayloadLengthOffset);

    /// <summary>&gt;= 0 a user type; <see cref="RingLayout.PaddingType"/> a padding record.</summary>
    public ref int Type => ref _file.At<int>(_offset + RingLayout.RecordTypeOffset);

    /// <summary>MPSC: the claim word this record's claim replaced; SPSC: 0.</summary>
    public ref ulong ClaimedAfter => ref _file.At<ulong>(_offset + RingLayout.RecordClaimedAfterOffset);

    /// <summary>The payload after the header, <paramref name="length"/> bytes (at most the record's).</summary>
    public Span<byte> Payload(int length) => _file.Span(_offset + RingLayout.RecordHeaderLength, length);
}
