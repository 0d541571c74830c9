namespace ShmIpc.ShmRing;

/// <summary>
/// Every byte offset in a ring segment, as one descriptor. docs/ring-layout.md is the contract
/// (a C program uses the ring from it alone); this type must say exactly the same.
/// All integers are little-endian; all offsets are from the start of the file.
/// </summary>
internal static class RingLayout
{
    /// <summary>Each hot counter owns 128 bytes (two 64-byte lines: the adjacent-line prefetcher pulls pairs).</summary>
    public const int LineLength = 128;

    /// <summary>"SHMIPCRG" read as a little-endian u64; stored last by the creator (release) once every other field is set.</summary>
    public const ulong Magic = 0x4752_4350_494D_4853;

    public const uint Version = 1;

    // Line 0 (offset 0): the descriptor. Written once by the creator, then read-only.
    public const int MagicOffset = 0;               // u64
    public const int VersionOffset = 8;             // u32
    public const int KindOffset = 12;               // u32: 1 = SPSC, 2 = MPSC
    public const int CapacityOffset = 16;           // u64: bytes in the data region, a power of two
    public const int MaxRecordSizeOffset = 24;      // u32: largest payload in bytes
    public const int ProducerSlotCountOffset = 28;  // u32: ProducerSlotCount
    public const int DataOffsetOffset = 32;         // u64: DataOffset
    public const int FileLengthOffset = 40;         // u64: DataOffset + capacity
    public const int TagKeyOffset = 48;             // u64: random, bit 0 set; see CommitTag
    public const int CreatorPidOffset = 56;         // i32
    public const int CreatorStartTimeOffset = 64;   // u64: /proc/PID/stat field 22 (clock ticks since boot)
    public const int CreationTimeOffset = 72;       // i64: Unix time in nanoseconds (UTC)

    // Hot lines, one counter each.
    /// <summary>u64. SPSC: bytes published by the producer. MPSC: the claim word, position | index of the last claimant.</summary>
    public const int ProducerPositionOffset = 128;
    /// <summary>u64: bytes released by the consumer. Producers may overwrite everything before it.</summary>
    public const int ConsumerPositionOffset = 256;
    /// <summary>u64: the producers' shared cache of ConsumerPosition (a lower bound of it; may lag).</summary>
    public const int CachedConsumerPositionOffset = 384;
    /// <summary>u32 futex word: 1 while the consumer is (about to be) asleep in FUTEX_WAIT.</summary>
    public const int WakeWordOffset = 512;
    /// <summary>i64: CLOCK_MONOTONIC ns of the consumer's last sign of life (informational, never proof of death).</summary>
    public const int ConsumerHeartbeatOffset = 640;

    // Line 6 (offset 768): the consumer's identity (cold).
    /// <summary>u64 owner word: see OwnerWord.</summary>
    public const int ConsumerOwnerOffset = 768;
    /// <summary>u32: 1 if the consumer may sleep on the wake word (producers then check it after each commit).</summary>
    public const int ConsumerMaySleepOffset = 776;

    // Producer slots: one 128-byte line per producer, written only by that producer (the consumer reads them).
    public const int ProducerSlotsOffset = 1024;
    public const int ProducerSlotLength = LineLength;
    public const int ProducerSlotCount = 63;        // claimant index 1..63 fits in the claim word's low 6 bits
    public const int SlotOwnerOffset = 0;           // u64 owner word
    public const int SlotHeartbeatOffset = 8;       // i64 CLOCK_MONOTONIC ns
    public const int SlotIntentEndOffset = 16;      // u64 MPSC: claim word this producer is installing; 0 = none
    public const int SlotIntentReplacedOffset = 24; // u64 MPSC: claim word it read and replaces

    /// <summary>Start of the data region: a page boundary after the last producer slot (1024 + 63 × 128 = 9088).</summary>
    public const int DataOffset = 12288;

    // Records, inside the data region. A record starts on a 64-byte boundary: a 64-byte header slot, then the payload.
    public const int RecordAlignment = 64;
    public const int RecordHeaderLength = 64;
    public const int RecordCommitOffset = 0;         // u64: CommitTag(position), release-stored last
    public const int RecordLengthOffset = 8;         // u32: bytes this record occupies, header included, multiple of 64
    public const int RecordPayloadLengthOffset = 12; // u32
    public const int RecordTypeOffset = 16;          // i32: >= 0 user type; PaddingType = skip to RecordLength
    public const int RecordClaimedAfterOffset = 24;  // u64 MPSC: the claim word this record's claim replaced; SPSC 0

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
