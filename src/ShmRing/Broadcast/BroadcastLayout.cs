namespace ShmIpc.ShmRing.Broadcast;

/// <summary>
/// The byte offsets of a broadcast segment (kind 3, docs/ring-layout.md "Broadcast"): one producer, up to
/// <see cref="ConsumerSlotCount"/> consumers that each read every record at their own pace. Line 0 (the descriptor),
/// the slot area and the data region are a ring segment's (<see cref="RingLayout"/>), so creating, attaching,
/// validating and reclaiming a file work as for the other kinds; the hot lines and the slots hold what a broadcast
/// needs. The producer holds slot 0, as an SPSC producer does; consumers hold slots 1 and up.
/// </summary>
internal static class BroadcastLayout
{
    /// <summary>u64: bytes published (the end of the newest record), release-stored after each record.</summary>
    public const int TailOffset = RingLayout.ProducerPositionOffset;

    /// <summary>
    /// u64: the end of the space the producer is writing or has written, never lower than <see cref="TailOffset"/>'s
    /// value and never decreasing. Stored (a full fence) before any byte of that space is written: a byte at position
    /// p is intact while TailIntent &lt;= p + capacity.
    /// </summary>
    public const int TailIntentOffset = RingLayout.ConsumerPositionOffset;

    /// <summary>u64: the position of the newest published record (where a lapped consumer resynchronises).</summary>
    public const int LatestOffset = RingLayout.CachedConsumerPositionOffset;

    /// <summary>u32 futex word: 1 while some consumer is (about to be) asleep in FUTEX_WAIT.</summary>
    public const int WakeWordOffset = RingLayout.WakeWordOffset;

    /// <summary>u32: how many attached consumers may sleep on the wake word (the producer then checks it after each commit).</summary>
    public const int ConsumersMaySleepOffset = RingLayout.ConsumerMaySleepOffset;

    /// <summary>u64: the position of the oldest record still intact (where a consumer asking for the oldest starts).</summary>
    public const int HeadOffset = RingLayout.ConsumerOwnerOffset + RingLayout.LineLength;

    /// <summary>u64, beside Head: how many consumers have positioned themselves; incremented (a full fence) by each.</summary>
    public const int JoinsOffset = HeadOffset + sizeof(long);

    /// <summary>u32 in line 0: the <see cref="SlowConsumerPolicy"/> the creator chose (1 lossless, 2 lossy).</summary>
    public const int PolicyOffset = RingLayout.CreationTimeOffset + sizeof(long);

    /// <summary>Consumer slots: 1 .. RingLayout.ProducerSlotCount - 1 (slot 0 is the producer's).</summary>
    public const int FirstConsumerSlot = 1;

    public const int ConsumerSlotCount = RingLayout.ProducerSlotCount - FirstConsumerSlot;

    // In a consumer's slot: the owner word and heartbeat where a producer slot has them, then the cursor.
    /// <summary>u64: the position up to which the consumer has released (<see cref="NotPositioned"/> while joining).</summary>
    public const int SlotCursorOffset = RingLayout.SlotIntentEndOffset;

    /// <summary>
    /// u32: the pid of the consumer holding this slot when it may sleep (it is then counted at
    /// <see cref="ConsumersMaySleepOffset"/>), else 0. Whoever frees the slot of a dead consumer clears it from that pid
    /// (a CAS, so the count is taken back once, and never for the next holder) and decrements the count.
    /// </summary>
    public const int SlotSleeperPidOffset = RingLayout.SlotIntentReplacedOffset;

    /// <summary>A cursor no producer waits for: the consumer holds a slot but has not chosen where it starts.</summary>
    public const long NotPositioned = long.MaxValue;

    /// <summary>u64 in a record header, where MPSC keeps the claim it replaced: the record's sequence number, from 1.</summary>
    public const int RecordSequenceOffset = RingLayout.RecordClaimedAfterOffset;
}
