using System.Runtime.InteropServices;

namespace ShmIpc.Harness.Child.Transports;

/// <summary>
/// Sinks for transports that deliver on whatever thread their library picks (Kestrel and the
/// socket engine run handlers on thread-pool threads, and the pool starts and retires threads as
/// it likes). A sink per thread would be a new sink, recorder and histogram (a large array) every
/// time the pool starts a thread: allocation the report would charge to the transport. Instead each
/// delivery rents a sink and returns it, so there are only as many sinks as deliveries ever ran at
/// once (about: a sink returned behind a renter's scan is not seen by it). Lock-free: a read per slot looked
/// at, one exchange to rent and one compare-exchange to return.
/// </summary>
internal sealed class SnapshotReceiveSinkPool
{
    /// <summary>
    /// Slots: more than the deliveries a server runs at once on this many cores (the thread pool runs about one
    /// per core, more while some block), few enough that a scan past empty slots stays short.
    /// </summary>
    public static int DefaultCapacity { get; } = Math.Max(16, 4 * Environment.ProcessorCount);

    private readonly Func<SnapshotReceiveSink> _createSink;

    // One sink per cache line, so two threads renting and returning side by side do not
    // invalidate each other's slot.
    private readonly PaddedSlot[] _slots;

    private int _created;

    public SnapshotReceiveSinkPool(Func<SnapshotReceiveSink> createSink, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _createSink = createSink;
        _slots = new PaddedSlot[capacity];
    }

    /// <summary>Sinks created so far: about the most deliveries that were ever in progress at once.</summary>
    public int Created => Volatile.Read(ref _created);

    /// <summary>
    /// A sink no other thread holds until <see cref="Return"/>. Starts looking at a slot chosen by
    /// thread, so a thread tends to get back the sink (and histogram) it used last.
    /// </summary>
    public SnapshotReceiveSink Rent()
    {
        int start = Environment.CurrentManagedThreadId % _slots.Length;
        for (int offset = 0; offset < _slots.Length; offset++)
        {
            int index = start + offset;
            if (index >= _slots.Length)
            {
                index -= _slots.Length;
            }

            // A plain read first: an empty slot costs no locked write (and no cache-line steal).
            // SYNC POINT (acquire, full fence): the renting thread sees everything the returning thread wrote to the
            // sink; partner: the compare-exchange in Return.
            if (Volatile.Read(ref _slots[index].Sink) is not null
                && Interlocked.Exchange(ref _slots[index].Sink, null) is { } sink)
            {
                return sink;
            }
        }

        // Every pooled sink is in use: one more delivery is running at once than ever before.
        Interlocked.Increment(ref _created);
        return _createSink();
    }

    /// <summary>Gives back a sink from <see cref="Rent"/>; the caller must not use it afterwards.</summary>
    public void Return(SnapshotReceiveSink sink)
    {
        int start = Environment.CurrentManagedThreadId % _slots.Length;
        for (int offset = 0; offset < _slots.Length; offset++)
        {
            int index = start + offset;
            if (index >= _slots.Length)
            {
                index -= _slots.Length;
            }

            // SYNC POINT (release, full fence): publishes this thread's writes to the sink before another thread can
            // rent it; partner: the exchange in Rent.
            if (Volatile.Read(ref _slots[index].Sink) is null
                && Interlocked.CompareExchange(ref _slots[index].Sink, sink, null) is null)
            {
                return;
            }
        }

        // More sinks than slots: this one is dropped. Its recorder stays registered with the
        // recording, so nothing it counted is lost; only the object is not reused.
    }

    [StructLayout(LayoutKind.Explicit, Size = 64)]
    private struct PaddedSlot
    {
        [FieldOffset(0)]
        public SnapshotReceiveSink? Sink;
    }
}
