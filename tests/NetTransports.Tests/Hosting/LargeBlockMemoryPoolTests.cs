using System.Buffers;
using ShmIpc.NetTransports.Hosting;

namespace ShmIpc.NetTransports.Tests.Hosting;

public sealed class LargeBlockMemoryPoolTests
{
    [Fact]
    public void Rent_GivesAWholeBlock_WhateverSizeIsAskedFor()
    {
        using var pool = new LargeBlockMemoryPool(64 * 1024);

        using IMemoryOwner<byte> any = pool.Rent();
        using IMemoryOwner<byte> small = pool.Rent(1);
        using IMemoryOwner<byte> whole = pool.Rent(64 * 1024);

        Assert.All(new[] { any, small, whole }, block => Assert.Equal(64 * 1024, block.Memory.Length));
        Assert.Equal(64 * 1024, pool.MaxBufferSize);
    }

    [Fact]
    public void AReturnedBlock_IsRentedAgain_NotAllocatedAgain()
    {
        using var pool = new LargeBlockMemoryPool(8 * 1024);
        IMemoryOwner<byte> first = pool.Rent();
        Memory<byte> firstMemory = first.Memory;
        first.Dispose();

        using IMemoryOwner<byte> second = pool.Rent();

        Assert.True(second.Memory.Span == firstMemory.Span);
        Assert.Equal(1, pool.BlocksCreated);
    }

    [Fact]
    public void BlocksHeldAtOnce_AreDistinct()
    {
        using var pool = new LargeBlockMemoryPool(8 * 1024);
        using IMemoryOwner<byte> first = pool.Rent();
        using IMemoryOwner<byte> second = pool.Rent();

        first.Memory.Span.Fill(1);
        second.Memory.Span.Fill(2);

        Assert.Equal(1, first.Memory.Span[^1]);
        Assert.Equal(2, pool.BlocksCreated);
    }

    [Fact]
    public void RentingMoreThanABlock_Throws()
    {
        using var pool = new LargeBlockMemoryPool(8 * 1024);

        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(8 * 1024 + 1));
        Assert.Contains("8192 bytes", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BlocksSmallerThanKestrelsOwn_AreRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new LargeBlockMemoryPool(1024));

    [Fact]
    public void ADisposedPool_RefusesRents_AndTakesBlocksReturnedLateQuietly()
    {
        var pool = new LargeBlockMemoryPool(8 * 1024);
        IMemoryOwner<byte> late = pool.Rent();
        pool.Dispose();

        late.Dispose(); // Kestrel may return a block after its pool is gone: no throw

        Assert.Throws<ObjectDisposedException>(() => pool.Rent());
    }

    [Fact]
    public void RentingAndReturning_AllocatesNothing_OnceTheBlocksExist()
    {
        using var pool = new LargeBlockMemoryPool(8 * 1024);
        pool.Rent().Dispose();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int rent = 0; rent < 10_000; rent++)
        {
            pool.Rent().Dispose();
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }
}
