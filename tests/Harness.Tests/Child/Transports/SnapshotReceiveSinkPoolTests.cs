using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using ShmIpc.Codecs;
using ShmIpc.Codecs.Raw;
using ShmIpc.Harness.Child.Measurement;
using ShmIpc.Harness.Child.Transports;

namespace ShmIpc.Harness.Tests.Child.Transports;

public sealed class SnapshotReceiveSinkPoolTests
{
    private readonly LatencyRecording _recording = new(1_000);
    private readonly ContentVerifier _verifier = new(new SnapshotPool(seed: 1, instrumentCount: 1, size: 2));

    [Fact]
    public void OneThreadRentingAndReturning_GetsTheSameSinkBack_AndCreatesOne()
    {
        var pool = new SnapshotReceiveSinkPool(CreateSink, capacity: 8);

        SnapshotReceiveSink first = pool.Rent();
        pool.Return(first);
        for (int delivery = 0; delivery < 1_000; delivery++)
        {
            SnapshotReceiveSink sink = pool.Rent();
            Assert.Same(first, sink);
            pool.Return(sink);
        }

        Assert.Equal(1, pool.Created);
    }

    [Fact]
    public void SinksHeldAtOnce_AreDistinct_AndReusedOnceReturned()
    {
        var pool = new SnapshotReceiveSinkPool(CreateSink, capacity: 8);

        SnapshotReceiveSink[] held = [pool.Rent(), pool.Rent(), pool.Rent()];
        Assert.Equal(3, held.Distinct().Count());
        foreach (SnapshotReceiveSink sink in held)
        {
            pool.Return(sink);
        }

        SnapshotReceiveSink[] again = [pool.Rent(), pool.Rent(), pool.Rent()];
        Assert.Equal(3, pool.Created);
        Assert.Equal(held.ToHashSet(), again.ToHashSet());
    }

    [Fact]
    public void MoreSinksThanSlots_AreDroppedOnReturn_NotLostTrackOf()
    {
        var pool = new SnapshotReceiveSinkPool(CreateSink, capacity: 1);

        SnapshotReceiveSink first = pool.Rent();
        SnapshotReceiveSink second = pool.Rent();
        pool.Return(first);
        pool.Return(second); // no free slot: dropped

        Assert.Same(first, pool.Rent());
        Assert.NotSame(second, pool.Rent());
        Assert.Equal(3, pool.Created);
    }

    [Fact]
    public void ManyThreads_NeverHoldTheSameSinkAtOnce()
    {
        const int threads = 4;
        var pool = new SnapshotReceiveSinkPool(CreateSink, capacity: 8);
        var holders = new ConcurrentDictionary<SnapshotReceiveSink, StrongBox<int>>();
        int overlaps = 0;

        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ =>
        {
            for (int delivery = 0; delivery < 50_000; delivery++)
            {
                SnapshotReceiveSink sink = pool.Rent();
                StrongBox<int> holding = holders.GetOrAdd(sink, static _ => new StrongBox<int>());
                if (Interlocked.Increment(ref holding.Value) != 1)
                {
                    Interlocked.Increment(ref overlaps);
                }
                Interlocked.Decrement(ref holding.Value);
                pool.Return(sink);
            }
        });

        Assert.Equal(0, overlaps);
        // About one sink per thread; a sink returned behind a renter's scan can make it create one more.
        Assert.InRange(pool.Created, 1, 8);
    }

    [Fact]
    public void RentingAndReturning_AllocatesNothing_OnceTheSinksExist()
    {
        var pool = new SnapshotReceiveSinkPool(CreateSink, capacity: 8);
        pool.Return(pool.Rent());

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int delivery = 0; delivery < 10_000; delivery++)
        {
            pool.Return(pool.Rent());
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    private SnapshotReceiveSink CreateSink() => new(SnapshotCodecs.Get(RawSnapshotCodec.CodecName), _recording.CreateRecorder(), _verifier);
}
