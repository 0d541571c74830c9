namespace ShmIpc.ShmRing.Broadcast;

/// <summary>Typed access to one broadcast consumer's slot (one line, written by that consumer; the producer reads it).</summary>
internal readonly struct ConsumerSlot
{
    private readonly MappedFile _file;
    private readonly int _offset;

    public ConsumerSlot(MappedFile file, int offset)
    {
        _file = file;
        _offset = offset;
    }

    /// <summary>The owner word of the consumer holding this slot: see <see cref="OwnerWord"/>.</summary>
    public ref ulong Owner => ref _file.At<ulong>(_offset + RingLayout.SlotOwnerOffset);

    /// <summary>CLOCK_MONOTONIC ns (informational).</summary>
    public ref long Heartbeat => ref _file.At<long>(_offset + RingLayout.SlotHeartbeatOffset);

    /// <summary>Released up to here; <see cref="BroadcastLayout.NotPositioned"/> while joining.</summary>
    public ref long Cursor => ref _file.At<long>(_offset + BroadcastLayout.SlotCursorOffset);
}
