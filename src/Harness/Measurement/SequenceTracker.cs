namespace ShmIpc.Harness.Measurement;

/// <summary>
/// Proves exactly-once delivery: one bit per sequence number, set by whichever receive thread
/// sees the message. A bit that was already set is a duplicate; bits never set are losses.
/// Thread-safe (Interlocked.Or); allocation happens once, up front.
/// </summary>
internal sealed class SequenceTracker
{
    private readonly long[] _bits;
    private long _duplicates;
    private long _outOfRange;
    private long _unique;

    public SequenceTracker(long capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _bits = new long[(capacity + 63) / 64];
    }

    public long Capacity => _bits.LongLength * 64;

    public long Duplicates => Volatile.Read(ref _duplicates);

    /// <summary>Sequence numbers beyond <see cref="Capacity"/> or negative: a corrupt or foreign message.</summary>
    public long OutOfRange => Volatile.Read(ref _outOfRange);

    public long Unique => Volatile.Read(ref _unique);

    public void Mark(long sequence)
    {
        if ((ulong)sequence >= (ulong)Capacity)
        {
            Interlocked.Increment(ref _outOfRange);
            return;
        }
        long mask = 1L << (int)(sequence & 63);
        long previous = Interlocked.Or(ref _bits[sequence >> 6], mask);
        if ((previous & mask) != 0)
        {
            Interlocked.Increment(ref _duplicates);
        }
        else
        {
            Interlocked.Increment(ref _unique);
        }
    }
}
