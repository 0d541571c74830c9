using ShmIpc.Harness.Parent.Reporting;

namespace ShmIpc.Harness.Tests.Parent.Reporting;

public sealed class SweepKneeTests
{
    [Fact]
    public void TheKnee_IsTheFirstSizeWhoseP99GrewFasterThanThePayload()
    {
        // p99 grows slower than the payload up to 16k (fixed costs dominate), then 2x size gives 3x latency.
        int? knee = SweepKnee.Of([(1024, 10_000), (4096, 12_000), (16384, 20_000), (32768, 60_000), (65536, 200_000)]);
        Assert.Equal(32768, knee);
    }

    [Fact]
    public void ALatencyThatScalesNoFasterThanThePayload_HasNoKnee()
    {
        Assert.Null(SweepKnee.Of([(1024, 10_000), (4096, 40_000), (16384, 160_000)]));
        Assert.Null(SweepKnee.Of([(16384, 10_000)]));
    }

    [Fact]
    public void SizesAreReadInOrder_WhateverOrderTheyCameIn()
    {
        Assert.Equal(16384, SweepKnee.Of([(16384, 90_000), (1024, 10_000), (4096, 11_000)]));
    }
}
