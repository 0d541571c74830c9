using System.Runtime.InteropServices;

namespace ShmIpc.NetTransports.Tests;

/// <summary>The receive segments: each the size asked for, on a cache-line boundary, recycled.</summary>
public sealed class ConnectionSegmentPoolTests
{
    [Fact]
    public void Rent_GivesSegmentsOfTheSizeThatStartOnA64ByteBoundary()
    {
        using var pool = new ConnectionSegmentPool(64 * 1024);
        var rented = Enumerable.Range(0, 32).Select(_ => pool.Rent()).ToList();

        foreach (var segment in rented)
        {
            Assert.Equal(64 * 1024, segment.Memory.Length);
            Assert.True(MemoryMarshal.TryGetArray<byte>(segment.Memory, out var array));
            long address = Marshal.UnsafeAddrOfPinnedArrayElement(array.Array!, array.Offset);
            Assert.Equal(0, address % ConnectionSegmentPool.Alignment);
        }

        rented.ForEach(segment => segment.Dispose());
    }

    [Fact]
    public void Rent_AfterAReturn_GivesTheSameSegmentBack()
    {
        using var pool = new ConnectionSegmentPool(4096);
        var first = pool.Rent();
        Memory<byte> memory = first.Memory;
        first.Dispose();

        Assert.True(pool.Rent().Memory.Equals(memory));
    }
}
