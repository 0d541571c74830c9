using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace ShmIpc.NetTransports.Hosting;

/// <summary>
/// Gives Kestrel's socket transport (and whatever else in the server asks the container for a pool)
/// <see cref="LargeBlockMemoryPool"/>s instead of its 4 KiB-block pools.
/// </summary>
internal sealed class LargeBlockMemoryPoolFactory(int blockBytes) : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new LargeBlockMemoryPool(blockBytes);
}
