using ShmIpc.Harness.Parent.HostLoad;
using ShmIpc.Harness.Parent.Reporting;

namespace ShmIpc.Harness.Tests.Parent.Reporting;

public sealed class LeakCheckTests
{
    private static readonly HostResources Before = new(ParentThreads: 20, ParentFileDescriptors: 40, ChildProcessIds: [100]);

    [Fact]
    public void ARowThatLeftNothing_DidNotLeak_WhateverTheRuntimeOpenedMeanwhile()
    {
        LeakCheck leaks = LeakCheck.Between(Before, new HostResources(23, 44, [100]), segmentLeft: null);
        Assert.False(leaks.Leaked);
        Assert.Equal((20, 23, 40, 44), (leaks.ParentThreadsBefore, leaks.ParentThreadsAfter, leaks.ParentFileDescriptorsBefore, leaks.ParentFileDescriptorsAfter));
    }

    [Fact]
    public void AChildStillRunning_IsALeak_NamingIt()
    {
        LeakCheck leaks = LeakCheck.Between(Before, new HostResources(20, 40, [100, 4321]), segmentLeft: null);
        Assert.True(leaks.Leaked);
        Assert.Equal([4321], leaks.ProcessesLeft);
    }

    [Fact]
    public void ASegmentLeftInDevShm_IsALeak()
    {
        Assert.True(LeakCheck.Between(Before, Before, segmentLeft: "shmipc-harness-1-0").Leaked);
    }
}
