using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace ShmIpc.NetTransports.Hosting;

/// <summary>
/// A memory pool of pinned blocks larger than Kestrel's 4 KiB, for the HTTP/2 servers. Kestrel reads its socket
/// into one pool block at a time and copies each DATA frame into the stream's request-body pipe, whose segments are
/// pool blocks too. With 4 KiB blocks every 16 KiB message costs at least four <c>recv()</c> calls and reaches the
/// handler in four or five pieces; with 64 KiB blocks one <c>recv()</c> can take up to four messages, and most messages
/// arrive in one piece, so a reader that needs contiguous bytes (FlatBuffers) reads them in place. The cost is memory:
/// each connection reading holds a block, and each request stream with unread body bytes holds at least one more
/// (a streaming connection: ~128 KiB where Kestrel would hold 8-16 KiB; request-per-message or unary calls: a block
/// per call in flight), up to the HTTP/2 windows when the reader falls behind. Blocks are pinned and reused for the
/// pool's lifetime (the server's): the peak stays allocated until the server is disposed, nothing trims it.
/// </summary>
internal sealed class LargeBlockMemoryPool : MemoryPool<byte>
{
    // Lock-free, and allocation-free once the queue's ring has grown to the peak number of free blocks.
    private readonly ConcurrentQueue<Block> _freeBlocks = new();
    private int _blocksCreated;
    private volatile bool _disposed;

    public LargeBlockMemoryPool(int blockBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockBytes, 4096);
        MaxBufferSize = blockBytes;
    }

    /// <summary>Every block has this size; a rent for more fails.</summary>
    public override int MaxBufferSize { get; }

    /// <summary>Blocks created so far: the most that were ever rented at once.</summary>
    public int BlocksCreated => Volatile.Read(ref _blocksCreated);

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (minBufferSize > MaxBufferSize)
        {
            throw new ArgumentOutOfRangeException(nameof(minBufferSize), minBufferSize, $"this pool's blocks are {MaxBufferSize} bytes");
        }

        if (_freeBlocks.TryDequeue(out Block? block))
        {
            return block;
        }

        Interlocked.Increment(ref _blocksCreated);
        return new Block(this, MaxBufferSize);
    }

    protected override void Dispose(bool disposing)
    {
        // Blocks still rented are returned to a disposed pool and dropped with it; the GC frees them all.
        _disposed = true;
        _freeBlocks.Clear();
    }

    private void Return(Block block)
    {
        if (!_disposed)
        {
            _freeBlocks.Enqueue(block);
        }
    }

    /// <summary>One pinned array (on the pinned object heap, so sockets can use it without a GC handle), reused.</summary>
    private sealed class Block : IMemoryOwner<byte>
    {
        private readonly LargeBlockMemoryPool _pool;

        public Block(LargeBlockMemoryPool pool, int length)
        {
            _pool = pool;
            Memory = MemoryMarshal.CreateFromPinnedArray(GC.AllocateUninitializedArray<byte>(length, pinned: true), 0, length);
        }

        public Memory<byte> Memory { get; }

        /// <summary>Returns the block to its pool; the renter must not touch <see cref="Memory"/> afterwards.</summary>
        public void Dispose() => _pool.Return(this);
    }
}
