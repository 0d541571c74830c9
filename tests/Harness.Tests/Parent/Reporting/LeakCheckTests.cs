using ShmIpc.Harness.Parent.HostLoad;
using ShmIpc.Harness.Parent.Reporting;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Tests.Parent.Reporting;

public sealed class LeakCheckTests
{
    private static readonly HostResources Before = new(ParentThreads: 20, ParentFileDescriptors: 40, ChildProcessIds: [100]);

    /// <summary>A child before its transport: 8 threads, 80 descriptors of which 1 socket and 60 assemblies', no ring, 1 MB heap.</summary>
    private static readonly ChildResources Start = new(Threads: 8, FileDescriptors: 80, Sockets: 1, AssemblyFileDescriptors: 60, ShmMappings: 0, HeapBytes: 1_000_000);

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

    [Fact]
    public void AChild_WithinTheTolerance_DidNotLeak()
    {
        // What a network transport's first use leaves for good: 100 descriptors of the assemblies it loaded, the socket
        // engine's 2, thread-pool workers, a heap not yet collected.
        ChildResources end = Start with { Threads = 8 + LeakCheck.ExtraThreadsAllowed, FileDescriptors = 80 + 100 + LeakCheck.ExtraFileDescriptorsAllowed, AssemblyFileDescriptors = 160, HeapBytes = 900_000_000 };
        Assert.Empty(LeakCheck.LeaksBetween(Start, end));
        Assert.False(LeakCheck.Between(Before, Before, null, [new ChildLeakCheck("receiver", Start, end)]).Leaked);
    }

    [Fact]
    public void OneMoreSocket_IsALeak_WithNoTolerance()
    {
        ChildResources end = Start with { Sockets = 2, FileDescriptors = 81 };
        Assert.Equal(["2 sockets at the end, 1 at start"], LeakCheck.LeaksBetween(Start, end));
        LeakCheck leaks = LeakCheck.Between(Before, Before, null, [new ChildLeakCheck("sender", Start, Start), new ChildLeakCheck("receiver", Start, end)]);
        Assert.True(leaks.Leaked);
        Assert.Equal(["receiver"], leaks.Children!.Where(child => child.Leaked).Select(child => child.Child));
    }

    [Fact]
    public void OneMoreShmMapping_IsALeak_WithNoTolerance()
    {
        Assert.Equal(["1 /dev/shm mappings at the end, 0 at start"], LeakCheck.LeaksBetween(Start, Start with { ShmMappings = 1 }));
    }

    [Fact]
    public void DescriptorsBeyondTheTolerance_AreALeak_CountingOnlyThoseThatAreNeitherAssembliesNorTheRuntimes()
    {
        int beyond = LeakCheck.ExtraFileDescriptorsAllowed + 1;
        Assert.Equal(["23 file descriptors (loaded assemblies' and the runtime's pipes aside) at the end, 20 at start"],
            LeakCheck.LeaksBetween(Start, Start with { FileDescriptors = 80 + beyond }));
        // The same count of new descriptors, all assemblies', or all the runtime's pipes: not a leak.
        Assert.Empty(LeakCheck.LeaksBetween(Start, Start with { FileDescriptors = 80 + beyond, AssemblyFileDescriptors = 60 + beyond }));
        Assert.Empty(LeakCheck.LeaksBetween(Start, Start with { FileDescriptors = 80 + beyond, RuntimeFileDescriptors = beyond }));
    }

    [Fact]
    public void ThreadsBeyondTheGenerousBound_AreALeak_AndEveryLeakIsNamed()
    {
        ChildResources end = Start with { Threads = 8 + LeakCheck.ExtraThreadsAllowed + 1, Sockets = 4, FileDescriptors = 82, ShmMappings = 2 };
        Assert.Equal(["2 /dev/shm mappings at the end, 0 at start", "4 sockets at the end, 1 at start", "73 threads at the end, 8 at start"],
            LeakCheck.LeaksBetween(Start, end));
    }

    [Fact]
    public void EachChildsFigures_AndItsVerdict_AreInResultsJson_AndReadBack()
    {
        ChildResources end = Start with { Sockets = 3, FileDescriptors = 82 };
        ComparisonReport report = ReportWriterTests.SampleReport();
        report = report with { Results = [report.Results[0] with { Leaks = LeakCheck.Between(Before, Before, null, [new ChildLeakCheck("receiver", Start, end)]) }] };

        string json = ReportWriter.ToJson(report);
        using (var document = System.Text.Json.JsonDocument.Parse(json))
        {
            System.Text.Json.JsonElement child = document.RootElement.GetProperty("results")[0].GetProperty("leaks").GetProperty("children")[0];
            Assert.Equal("receiver", child.GetProperty("child").GetString());
            Assert.Equal(3, child.GetProperty("end").GetProperty("sockets").GetInt32());
            Assert.Equal(1_000_000, child.GetProperty("start").GetProperty("heapBytes").GetInt64());
            Assert.Equal("3 sockets at the end, 1 at start", child.GetProperty("leaks")[0].GetString());
            Assert.True(child.GetProperty("leaked").GetBoolean());
        }
        LeakCheck read = Assert.IsType<LeakCheck>(ReportWriter.FromJson(json).Results[0].Leaks);
        Assert.True(read.Leaked);
        Assert.Equal((Start, end), (read.Children![0].Start, read.Children[0].End));
    }

    [Fact]
    public void FewerAtTheEnd_IsNeverALeak()
    {
        Assert.Empty(LeakCheck.LeaksBetween(Start, new ChildResources(1, 10, 0, 5, 0, 0)));
    }
}
