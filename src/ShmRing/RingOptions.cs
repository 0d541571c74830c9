namespace ShmIpc.ShmRing;

/// <summary>
/// How a ring is created or what an attaching side expects. Both sides pass the same options: attaching validates
/// <see cref="Kind"/>, <see cref="Capacity"/> and <see cref="MaxRecordSize"/> against the segment header.
/// </summary>
public sealed record RingOptions
{
    /// <summary>One producer or many (must match the segment when attaching).</summary>
    public RingKind Kind { get; init; } = RingKind.SingleProducer;

    /// <summary>
    /// Broadcast rings only: whether the producer waits for the slowest live consumer (lossless) or never waits and a
    /// lapped consumer resynchronises (lossy, the default). Stored by the creator; attaching checks it.
    /// </summary>
    public SlowConsumerPolicy SlowConsumer { get; init; } = SlowConsumerPolicy.Lossy;

    /// <summary>Bytes in the data region: a power of two from 4 KiB to 1 GiB.</summary>
    public int Capacity { get; init; } = 4 * 1024 * 1024;

    /// <summary>Largest payload in bytes. A record of this size (plus its 64-byte header) must fit in half the capacity.</summary>
    public int MaxRecordSize { get; init; } = 16 * 1024;

    /// <summary>File mode at creation: 0600 (default) or 0660.</summary>
    public RingFileAccess FileAccess { get; init; } = RingFileAccess.OwnerOnly;

    /// <summary>Keep the /dev/shm file when the creator disposes (default: unlink it).</summary>
    public bool KeepSegmentOnDispose { get; init; }

    /// <summary>What creating does with a file left by a dead creator.</summary>
    public StaleSegmentPolicy StaleSegment { get; init; } = StaleSegmentPolicy.Reclaim;

    /// <summary>How this side waits (the consumer for records, a producer for space).</summary>
    public RingWaitStrategy WaitStrategy { get; init; } = RingWaitStrategy.SpinThenBlock;

    /// <summary>How long to poll before yielding or blocking.</summary>
    public TimeSpan SpinDuration { get; init; } = TimeSpan.FromMicroseconds(10);

    /// <summary>
    /// While waiting, how often to check the peer's pid and start time (a few microseconds, a file read of
    /// /proc/PID/stat). A dead peer is reported within about this time.
    /// </summary>
    public TimeSpan PeerCheckInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    internal void Validate()
    {
        if (!Enum.IsDefined(Kind))
        {
            throw new ArgumentException($"ring kind {(int)Kind} is not defined", nameof(Kind));
        }

        if (!Enum.IsDefined(SlowConsumer))
        {
            throw new ArgumentException($"slow consumer policy {(int)SlowConsumer} is not defined", nameof(SlowConsumer));
        }

        if (Capacity < RingLayout.MinCapacity || Capacity > RingLayout.MaxCapacity || (Capacity & (Capacity - 1)) != 0)
        {
            throw new ArgumentException(
                $"capacity {Capacity} must be a power of two from {RingLayout.MinCapacity} to {RingLayout.MaxCapacity}",
                nameof(Capacity));
        }

        if (MaxRecordSize < 1 || MaxRecordSize > Capacity || RingLayout.RecordLength(MaxRecordSize) > Capacity / 2)
        {
            throw new ArgumentException(
                $"max record size {MaxRecordSize} must be at least 1 and its record (64-byte header + payload rounded to 64) fit in half the capacity {Capacity}",
                nameof(MaxRecordSize));
        }

        if (SpinDuration < TimeSpan.Zero || PeerCheckInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("spin duration must be >= 0 and peer check interval > 0", nameof(PeerCheckInterval));
        }
    }
}
