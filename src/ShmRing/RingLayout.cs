namespace ShmIpc.ShmRing;

/// <summary>
/// Every byte offset in a ring segment, as one descriptor (Agrona's RingBufferDescriptor): each offset is derived from
/// the one before it, so a field's place follows from the fields ahead of it. docs/ring-layout.md is the contract (a C
/// program uses the ring from it alone); this type must say exactly the same, and a test pins every offset to it.
/// All integers are little-endian and naturally aligned; all offsets are from the start of the file. The mapping is
/// read and written through typed accessors at these offsets (<see cref="RingHeader"/>, <see cref="ProducerSlot"/>,
/// <see cref="RecordHeader"/>); only RingSegment's look at an existing file before mapping it parses bytes directly.
/// </summary>
internal static class RingLayout
{
    /// <summary>Each hot counter owns 128 bytes (two 64-byte lines: the adjacent-line prefetcher pulls pairs).</summary>
    public const int LineLength = 128;

    /// <summary>The data region starts on a page boundary (of the smallest page size, so on every one).</summary>
    public const int PageLength = 4096;

    /// <summary>"SHMIPCRG" read as a little-endian u64; stored last by the creator (release) once every other field is set.</summary>
    public const ulong Magic = 0x4752_4350_494D_4853;

    public const uint Version = 1;

    // Line 0: the descriptor. Written once by the creator, then read-only.
    public const int MagicOffset = 0;                                                // u64
    public const int VersionOffset = MagicOffset + sizeof(ulong);                    // u32
    public const int KindOffset = VersionOffset + sizeof(uint);                      // u32: 1 = SPSC, 2 = MPSC
    public const int CapacityOffset = KindOffset + sizeof(uint);                     // u64: bytes in the data region, a power of two
    public const int MaxRecordSizeOffset = CapacityOffset + sizeof(ulong);           // u32: largest payload in bytes
    public const int ProducerSlotCountOffset = MaxRecordSizeOffset + sizeof(uint);   // u32: ProducerSlotCount
    public const int DataOffsetOffset = ProducerSlotCountOffset + sizeof(uint);      // u64: DataOffset
    public const int FileLengthOffset = DataOffsetOffset + sizeof(ulong);            // u64: DataOffset + capacity
    public const int TagKeyOffset = FileLengthOffset + sizeof(ulong);                // u64: random, bit 0 set; see CommitTag
    public const int CreatorPidOffset = TagKeyOffset + sizeof(ulong);                // i32, then 4 bytes of padding (u64 alignment)
    public const int CreatorStartTimeOffset = CreatorPidOffset + sizeof(ulong);      // u64: /proc/PID/stat field 22 (clock ticks since boot)
    public const int CreationTimeOffset = CreatorStartTimeOffset + sizeof(ulong);    // i64: Unix time in nanoseconds (UTC)

    // Hot lines, one counter each.
    /// <summary>u64. SPSC: bytes published by the producer. MPSC: the claim word, position | index of the last claimant.</summary>
    public const int ProducerPositionOffset = MagicOffset + LineLength;
    /// <summary>u64: bytes released by the consumer. Producers may overwrite everything before it.</summary>
    public const int ConsumerPositionOffset = ProducerPositionOffset + LineLength;
    /// <summary>u64: the producers' shared cache of ConsumerPosition (a lower bound of it; may lag).</summary>
    public const int CachedConsumerPositionOffset = ConsumerPositionOffset + LineLength;
    /// <summary>u32 futex word: 1 while the consumer is (about to be) asleep in FUTEX_WAIT.</summary>
    public const int WakeWordOffset = CachedConsumerPositionOffset + LineLength;
    /// <summary>i64: CLOCK_MONOTONIC ns of the consumer's last sign of life (informational, never proof of death).</summary>
    public const int ConsumerHeartbeatOffset = WakeWordOffset + LineLength;

    // The consumer's identity (cold), one line.
    /// <summary>u64 owner word: see OwnerWord.</summary>
    public const int ConsumerOwnerOffset = ConsumerHeartbeatOffset + LineLength;
    /// <summary>u32: 1 if the consumer may sleep on the wake word (producers then check it after each commit).</summary>
    public const int ConsumerMaySleepOffset = ConsumerOwnerOffset + sizeof(ulong);

    // One reserved line (zero) after the consumer's, then the producer slots: one 128-byte line per producer, written
    // only by that producer (the consumer reads them).
    public const int ProducerSlotsOffset = ConsumerOwnerOffset + (2 * LineLength);
    public const int ProducerSlotLength = LineLength;
    public const int ProducerSlotCount = 63;                                         // claimant index 1..63 fits in the claim word's low 6 bits
    public const int SlotOwnerOffset = 0;                                            // u64 owner word
    public const int SlotHeartbeatOffset = SlotOwnerOffset + sizeof(ulong);          // i64 CLOCK_MONOTONIC ns
    public const int SlotIntentEndOffset = SlotHeartbeatOffset + sizeof(long);       // u64 MPSC: claim word this producer is installing; 0 = none
    public const int SlotIntentReplacedOffset = SlotIntentEndOffset + sizeof(ulong); // u64 MPSC: claim word it read and replaces

    /// <summary>Start of the data region: the first page boundary after the last producer slot.</summary>
    public const int DataOffset = (ProducerSlotsOffset + (ProducerSlotCount * ProducerSlotLength) + PageLength - 1) & ~(PageLength - 1);

    // Records, inside the data region. A record starts on a 64-byte boundary: a 64-byte header slot, then the payload.
    public const int RecordAlignment = 64;
    public const int RecordHeaderLength = 64;
    public const int RecordCommitOffset = 0;                                         // u64: CommitTag(position), release-stored last
    public const int RecordLengthOffset = RecordCommitOffset + sizeof(ulong);        // u32: bytes this record occupies, header included, multiple of 64
    public const int RecordPayloadLengthOffset = RecordLengthOffset + sizeof(uint);  // u32
    public const int RecordTypeOffset = RecordPayloadLengthOffset + sizeof(uint);    // i32, then 4 bytes of padding: >= 0 user type; PaddingType = skip
    public const int RecordClaimedAfterOffset = RecordTypeOffset + sizeof(ulong);    // u64 MPSC: the claim word this record's claim replaced; SPSC 0

    public const int PaddingType = -1;

    /// <summary>Low bits of the MPSC claim word that hold the claimant index (positions are multiples of 64).</summary>
    public const ulong ClaimantIndexMask = RecordAlignment - 1;

    public const int MinCapacity = 4096;
    public const int MaxCapacity = 1 << 30;

    /// <summary>
    /// The commit word of a record at absolute stream position <paramref name="position"/>. The key is odd, the position
    /// a multiple of 64, so the tag is never 0 (a fresh file) and never a tag of an earlier lap (stale bytes): the consumer
    /// needs no zero-filling of consumed space.
    /// </summary>
    public static ulong CommitTag(long position, ulong tagKey) => (ulong)position ^ tagKey;

    /// <summary>Bytes a record with <paramref name="payloadLength"/> bytes of payload occupies.</summary>
    public static int RecordLength(int payloadLength) => RecordHeaderLength + AlignUp(payloadLength);

    public static int AlignUp(int length) => (length + RecordAlignment - 1) & ~(RecordAlignment - 1);

    public static int SlotOffset(int slotIndex) => ProducerSlotsOffset + (slotIndex * ProducerSlotLength);
}
