namespace ShmIpc.ShmRing;

/// <summary>
/// Typed access to one producer slot (one line, written only by its producer) at <see cref="RingLayout"/>'s offsets.
/// As <see cref="RingHeader"/>: references into the mapping, the access mode chosen at each use.
/// </summary>
internal readonly struct ProducerSlot
{
    private readonly MappedFile _file;
    private readonly int _offset;

    public ProducerSlot(MappedFile file, int offset)
    {
        _file = file;
        _offset = offset;
    }

    /// <summary>The owner word of the producer holding this slot: see <see cref="OwnerWord"/>.</summary>
    public ref ulong Owner => ref _file.At<ulong>(_offset + RingLayout.SlotOwnerOffset);

    /// <summary>CLOCK_MONOTONIC ns (informational).</summary>
    public ref long Heartbeat => ref _file.At<long>(_offset + RingLayout.SlotHeartbeatOffset);

    /// <summary>MPSC: the claim word this producer is installing; 0 = none.</summary>
    public ref ulong IntentEnd => ref _file.At<ulong>(_offset + RingLayout.SlotIntentEndOffset);

    /// <summary>MPSC: the claim word it read and is replacing.</summary>
    public ref ulong IntentReplaced => ref _file.At<ulong>(_offset + RingLayout.SlotIntentReplacedOffset);
}
