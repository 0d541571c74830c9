using System.Buffers;

namespace ShmIpc.NetTransports;

/// <summary>
/// Receive buffers for one connection's <see cref="System.IO.Pipelines.PipeReader"/>, recycled within that connection.
/// ArrayPool.Shared keeps buffers per thread and per core; a thread-pool receive loop rents on one thread and returns
/// on another, so it occasionally misses and allocates a fresh 64 KiB array. Here a connection's reader rents and
/// returns its own few segments (never concurrently: one read loop per connection), so steady state allocates
/// nothing. Arrays live on the pinned object heap, as Kestrel's block pool does: socket I/O pins them for free.
/// Thread-safe anyway (a lock held for a push or pop) because a stopping loop may return segments from another thread.
/// </summary>
internal sealed class ConnectionSegmentPool(int segmentSize) : MemoryPool<byte>
{
    private readonly Stack<Segment> _free = new();
    private readonly Lock _gate = new();

    public override int MaxBufferSize => segmentSize;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, segmentSize);
        lock (_gate)
        {
            if (_free.TryPop(out Segment? segment))
            {
                return segment;
            }
        }

        return new Segment(this, GC.AllocateUninitializedArray<byte>(segmentSize, pinned: true));
    }

    protected override void Dispose(bool disposing)
    {
        lock (_gate)
        {
            _free.Clear();
        }
    }

    private void Return(Segment segment)
    {
        lock (_gate)
        {
            _free.Push(segment);
        }
    }

    /// <summary>One reusable buffer: disposing it (what the pipe does when done with it) returns it to its pool.</summary>
    private sealed class Segment(ConnectionSegmentPool pool, byte[] array) : IMemoryOwner<byte>
    {
        public Memory<byte> Memory => array;

        public void Dispose() => pool.Return(this);
    }
}
