using System.Buffers;
using System.Runtime.InteropServices;

namespace ShmIpc.NetTransports;

/// <summary>
/// Receive buffers for one connection's <see cref="System.IO.Pipelines.PipeReader"/>, recycled within that connection.
/// ArrayPool.Shared keeps buffers per thread and per core; a thread-pool receive loop rents on one thread and returns
/// on another, so it occasionally misses and allocates a fresh 64 KiB array. Here a connection's reader rents and
/// returns its own few segments (never concurrently: one read loop per connection), so steady state allocates
/// nothing. Arrays live on the pinned object heap, as Kestrel's block pool does: socket I/O pins them for free. Each
/// segment starts on a 64-byte boundary: the kernel copies a received message into it with <c>rep movsb</c>, which on
/// the CPUs we measure runs several times slower into a destination that is not (docs/benchmarks.md).
/// Thread-safe anyway (a lock held for a push or pop) because a stopping loop may return segments from another thread.
/// </summary>
internal sealed class ConnectionSegmentPool(int segmentSize) : MemoryPool<byte>
{
    /// <summary>Where every segment starts: a multiple of this many bytes (a cache line).</summary>
    public const int Alignment = 64;

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

        byte[] array = GC.AllocateUninitializedArray<byte>(segmentSize + Alignment - 1, pinned: true);
        int misalignment = (int)(Marshal.UnsafeAddrOfPinnedArrayElement(array, 0) % Alignment); // pinned: it never moves
        return new Segment(this, array.AsMemory(misalignment == 0 ? 0 : Alignment - misalignment, segmentSize));
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
    private sealed class Segment(ConnectionSegmentPool pool, Memory<byte> memory) : IMemoryOwner<byte>
    {
        public Memory<byte> Memory => memory;

        public void Dispose() => pool.Return(this);
    }
}
