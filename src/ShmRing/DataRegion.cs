using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ShmIpc.ShmRing;

/// <summary>
/// The data region of a mapped segment, addressed by stream position (bytes since the ring was created): where a
/// record lives, its commit tag, and how a record is published. The capacity and tag key are the ones validated at
/// attach, never re-read from the shared header. A copy costs nothing: a reference and three numbers.
/// </summary>
internal readonly struct DataRegion
{
    private readonly MappedFile _file;
    private readonly long _mask;
    private readonly ulong _tagKey;

    public DataRegion(MappedFile file, long capacity, ulong tagKey)
    {
        _file = file;
        Capacity = capacity;
        _mask = capacity - 1;
        _tagKey = tagKey;
    }

    /// <summary>Bytes in the data region, a power of two.</summary>
    public long Capacity { get; }

    /// <summary>Where <paramref name="position"/> falls in the data region (0 to capacity - 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long OffsetOf(long position) => position & _mask;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public RecordHeader HeaderAt(long position)
        => new(ref MemoryMarshal.GetReference(_file.Span(RingLayout.DataOffset + (position & _mask), RingLayout.RecordHeaderLength)));

    /// <summary>
    /// The record checks of docs/ring-layout.md for the header read at <paramref name="position"/>: the record stays
    /// inside the data region, its payload inside it and within <paramref name="maxRecordSize"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsValidRecord(long position, int recordLength, int payloadLength, int recordType, int maxRecordSize)
        => recordLength >= RingLayout.RecordHeaderLength
            && recordLength % RingLayout.RecordAlignment == 0
            && OffsetOf(position) + recordLength <= Capacity
            && (recordType == RingLayout.PaddingType
                ? payloadLength == 0
                : recordType >= 0 && (uint)payloadLength <= (uint)maxRecordSize && RingLayout.RecordLength(payloadLength) <= recordLength);

    /// <summary>The tag that publishes the record at <paramref name="position"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong CommitTagOf(long position) => RingLayout.CommitTag(position, _tagKey);

    /// <summary>True if the record at <paramref name="position"/> is published (its commit tag matches).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsCommitted(long position)
        // SYNC POINT acquire, partner Publish's release store of the tag: the header fields and payload written
        // before it are visible after this load.
        => Volatile.Read(ref HeaderAt(position).CommitTag) == CommitTagOf(position);

    /// <summary>
    /// One store into each 64-byte line of the (unpublished) record's payload at <paramref name="position"/>, up to
    /// <paramref name="payloadLength"/> bytes: the lines become this core's before the payload is written there. Not
    /// the header's line, which the consumer polls. The caller owns the space (it claimed, or could claim, it).
    /// </summary>
    public void TouchPayloadLines(long position, int payloadLength)
    {
        Span<byte> payload = HeaderAt(position).Payload(RingLayout.AlignUp(payloadLength));
        ref ulong start = ref Unsafe.As<byte, ulong>(ref MemoryMarshal.GetReference(payload));
        for (int offset = 0; offset < payload.Length; offset += RingLayout.RecordAlignment)
        {
            // Plain stores into free space (no partner): no consumer reads there before the record's commit tag.
            Unsafe.Add(ref start, offset / sizeof(ulong)) = 0;
        }
    }

    /// <summary>Writes a record header and publishes it: the commit tag is release-stored last.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Publish(long position, int recordLength, int payloadLength, int recordType, ulong claimedAfter)
    {
        RecordHeader header = HeaderAt(position);
        header.Length = (uint)recordLength;
        header.PayloadLength = (uint)payloadLength;
        header.Type = recordType;
        header.ClaimedAfter = claimedAfter;

        // SYNC POINT release, partner the consumer's acquire of the tag (RingConsumer.TryRead, IsCommitted): the
        // payload and the header fields above are visible before the tag that publishes them.
        Volatile.Write(ref header.CommitTag, CommitTagOf(position));
    }
}
