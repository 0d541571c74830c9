using ShmIpc.Harness.Child.Measurement;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Tests.Child.Measurement;

[Collection(ProcessWideMeasurementCollection.Name)]
public sealed class AllocationSourceSamplerTests
{
    [Fact]
    public void WhatTheWindowAllocatesMost_IsNamed_WithAboutItsBytes()
    {
        using var sampler = new AllocationSourceSampler();
        Thread.Sleep(200); // the runtime turns its sampling on asynchronously
        var keep = new List<Ballast>();
        AllocateBallast(keep, 1_000); // before the window: not counted

        sampler.Start();
        long before = GC.GetAllocatedBytesForCurrentThread();
        keep.Clear();
        AllocateBallast(keep, 200_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        IReadOnlyList<AllocationSource> sources = sampler.Stop(seconds: 2, top: 5);

        AllocationSource ballast = Assert.Single(sources, source => source.Type.EndsWith(nameof(Ballast), StringComparison.Ordinal));
        Assert.Equal(ballast, sources[0]);
        // Bytes per second over the 2 s given; sampled every ~100 KB of about 8 MB, so within a few percent, plus
        // the list's own growth (attributed to Ballast[] or to Ballast, whichever crosses a sampling mark).
        double ballastBytes = ballast.Bytes * 2;
        Assert.InRange(ballastBytes, 0.6 * 200_000 * 32, 1.2 * allocated);
        GC.KeepAlive(keep);
    }

    [Fact]
    public void WhatIsAllocatedBeforeTheWindow_IsNotCounted_ThoughItsTicksArriveLater()
    {
        using var sampler = new AllocationSourceSampler();
        Thread.Sleep(200); // the runtime turns its sampling on asynchronously
        var keep = new List<Ballast>();
        AllocateBallast(keep, 200_000); // ~8 MB, ~80 ticks, most dispatched after Start below

        sampler.Start();
        IReadOnlyList<AllocationSource> sources = sampler.Stop(seconds: 1, top: 5);

        Assert.DoesNotContain(sources, source => source.Type.EndsWith(nameof(Ballast), StringComparison.Ordinal));
        GC.KeepAlive(keep);
    }

    private static void AllocateBallast(List<Ballast> keep, int count)
    {
        for (int i = 0; i < count; i++)
        {
            keep.Add(new Ballast(i, i));
        }
    }

    private sealed record Ballast(long First, long Second);
}
