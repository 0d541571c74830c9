namespace ShmIpc.Harness.Child.Measurement;

/// <summary>
/// Proves exactly-once delivery: one bit per sequence number, set by whichever receive thread
/// sees the message (one Interlocked.Or). A bit that was already set is a duplicate; bits never
/// set are losses. Allocation happens once, up front.
/// </summary>
internal sealed class SequenceTracker
{
    private readonly long[] _bits;

    public SequenceTracker(long capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _bits = new long[(capacity + 63) / 64];
    }

    public long Capacity => _bits.LongLength * 64;

    public SequenceMark Mark(long sequence)
    {
        if ((ulong)sequence >= (ulong)Capacity)
        {
            return SequenceMark.OutOfRange;
        }
        long mask = 1L << (int)(sequence & 63);
        long previous = Interlocked.Or(ref _bits[sequence >> 6], mask);
        return (previous & mask) != 0 ? SequenceMark.Duplicate : SequenceMark.First;
    }

    /// <summary>Distinct sequence numbers seen. Read it once every receive thread has stopped.</summary>
    public long CountUnique()
    {
        long unique = 0;
        foreach (long word in _bits)
        {
            unique += long.PopCount(word);
        }
        return unique;
    }
}
