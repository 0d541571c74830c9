namespace ShmIpc.ShmRing;

/// <summary>
/// Typed access to the header of a mapped segment: line 0 (the descriptor), the hot lines and the consumer's identity,
/// at <see cref="RingLayout"/>'s offsets. Each field is a reference into the mapping, so the caller chooses plain,
/// Volatile or Interlocked access at each use (and labels the SYNC POINT there). A copy costs nothing: one reference.
/// </summary>
internal readonly struct RingHeader
{
    private readonly MappedFile _file;

    public RingHeader(MappedFile file) => _file = file;

    /// <summary>The mapping itself, for a kind's own view of the same bytes (Broadcast.BroadcastHeader).</summary>
    public MappedFile File => _file;

    public ref ulong Magic => ref _file.At<ulong>(RingLayout.MagicOffset);

    public ref uint Version => ref _file.At<uint>(RingLayout.VersionOffset);

    public ref uint Kind => ref _file.At<uint>(RingLayout.KindOffset);

    public ref ulong Capacity => ref _file.At<ulong>(RingLayout.CapacityOffset);

    public ref uint MaxRecordSize => ref _file.At<uint>(RingLayout.MaxRecordSizeOffset);

    public ref uint ProducerSlotCount => ref _file.At<uint>(RingLayout.ProducerSlotCountOffset);

    /// <summary>The field that states where the data region starts (always <see cref="RingLayout.DataOffset"/>).</summary>
    public ref ulong DataOffset => ref _file.At<ulong>(RingLayout.DataOffsetOffset);

    public ref ulong FileLength => ref _file.At<ulong>(RingLayout.FileLengthOffset);

    public ref ulong TagKey => ref _file.At<ulong>(RingLayout.TagKeyOffset);

    public ref int CreatorPid => ref _file.At<int>(RingLayout.CreatorPidOffset);

    public ref ulong CreatorStartTime => ref _file.At<ulong>(RingLayout.CreatorStartTimeOffset);

    /// <summary>Unix time in nanoseconds (UTC).</summary>
    public ref long CreationTime => ref _file.At<long>(RingLayout.CreationTimeOffset);

    /// <summary>SPSC: bytes published by the producer. The same word as <see cref="ClaimWord"/>.</summary>
    public ref long ProducerPosition => ref _file.At<long>(RingLayout.ProducerPositionOffset);

    /// <summary>MPSC: position | index of the last claimant. The same word as <see cref="ProducerPosition"/>.</summary>
    public ref ulong ClaimWord => ref _file.At<ulong>(RingLayout.ProducerPositionOffset);

    public ref long ConsumerPosition => ref _file.At<long>(RingLayout.ConsumerPositionOffset);

    public ref long CachedConsumerPosition => ref _file.At<long>(RingLayout.CachedConsumerPositionOffset);

    /// <summary>The futex word (a u32; an int for Interlocked): 1 while the consumer is (about to be) asleep.</summary>
    public ref int WakeWord => ref _file.At<int>(RingLayout.WakeWordOffset);

    /// <summary>CLOCK_MONOTONIC ns (informational).</summary>
    public ref long ConsumerHeartbeat => ref _file.At<long>(RingLayout.ConsumerHeartbeatOffset);

    public ref ulong ConsumerOwner => ref _file.At<ulong>(RingLayout.ConsumerOwnerOffset);

    public ref uint ConsumerMaySleep => ref _file.At<uint>(RingLayout.ConsumerMaySleepOffset);

    public ProducerSlot Slot(int index) => new(_file, RingLayout.SlotOffset(index));

    /// <summary>Sleeps while the wake word is <paramref name="expected"/>, at most <paramref name="timeoutNanoseconds"/>.</summary>
    public void FutexWaitOnWakeWord(int expected, long timeoutNanoseconds) => _file.FutexWait(RingLayout.WakeWordOffset, expected, timeoutNanoseconds);

    /// <summary>Wakes the consumers sleeping on the wake word, if any.</summary>
    public void FutexWakeOnWakeWord() => _file.FutexWake(RingLayout.WakeWordOffset);
}
