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

    /// <summary>The holder's pid while it is counted among the consumers that may sleep; 0 otherwise.</summary>
    public ref int SleeperPid => ref _file.At<int>(_offset + BroadcastLayout.SlotSleeperPidOffset);

    /// <summary>Released up to here; <see cref="BroadcastLayout.NotPositioned"/> while joining.</summary>
    public ref long Cursor => ref _file.At<long>(_offset + BroadcastLayout.SlotCursorOffset);

    /// <summary>
    /// Takes back the may-sleep count of <paramref name="pid"/>, the slot's holder now leaving or proven dead, if it is
    /// still counted: exactly once, whoever (the leaver, the producer, a joiner taking the slot) gets here first.
    /// </summary>
    public void ForgetSleeper(int pid, ref int consumersMaySleep)
    {
        // SYNC POINT full fence (CAS), partner the holder's release store of its pid at join: only its own count goes.
        if (pid > 0 && Interlocked.CompareExchange(ref SleeperPid, 0, pid) == pid)
        {
            // SYNC POINT full fence, partner the producer's acquire of the count (RingProducer.WakeConsumerIfSleeping).
            Interlocked.Decrement(ref consumersMaySleep);
        }
    }
}
