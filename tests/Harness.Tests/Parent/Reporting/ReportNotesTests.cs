using ShmIpc.Harness.Parent.HostLoad;
using ShmIpc.Harness.Parent.Reporting;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Tests.Parent.Reporting;

public sealed class ReportNotesTests
{
    private static readonly HostResources Host = new(20, 40, []);
    private static readonly ChildResources Start = new(8, 80, 1, 60, 0, 1_000_000);

    [Fact]
    public void ALeakingChild_IsNamed_WithWhatItLeft()
    {
        LeakCheck leaks = LeakCheck.Between(Host, Host, null,
            [new ChildLeakCheck("sender", Start, Start), new ChildLeakCheck("receiver", Start, Start with { Sockets = 4, FileDescriptors = 83 })]);
        IReadOnlyList<string> notes = ReportNotes.Of(WithLeaks(leaks));
        Assert.Contains("shm/raw 16384 B leaked: receiver: 4 sockets at the end, 1 at start, 23 file descriptors (loaded assemblies' and the runtime's pipes aside) at the end, 20 at start", notes);
        Assert.DoesNotContain(notes, note => note.Contains("sender", StringComparison.Ordinal));
    }

    [Fact]
    public void ChildrenWithinTheTolerance_AddNoNote()
    {
        LeakCheck leaks = LeakCheck.Between(Host, Host, null, [new ChildLeakCheck("receiver", Start, Start with { Threads = 20 })]);
        Assert.DoesNotContain(ReportNotes.Of(WithLeaks(leaks)), note => note.Contains("leaked", StringComparison.Ordinal));
    }

    [Fact]
    public void JitInsideTheWindow_IsNoted_NoneIsNot()
    {
        ComparisonReport report = ReportWriterTests.SampleReport();
        ComparisonReport jitted = report with { Results = [report.Results[0] with { Jit = new PerSide<JitInWindow>(new JitInWindow(13, 3.4), new JitInWindow(0, 0)) }] };
        ComparisonReport clean = report with { Results = [report.Results[0] with { Jit = new PerSide<JitInWindow>(new JitInWindow(0, 0), new JitInWindow(0, 0)) }] };

        Assert.Contains(ReportNotes.Of(jitted), note => note.StartsWith("shm/raw 16384 B JIT inside the window: sender 13 methods (3.4 ms), receiver 0 (0.0 ms)", StringComparison.Ordinal));
        Assert.DoesNotContain(ReportNotes.Of(clean), note => note.Contains("JIT", StringComparison.Ordinal));
    }

    private static ComparisonReport WithLeaks(LeakCheck leaks)
    {
        ComparisonReport report = ReportWriterTests.SampleReport();
        return report with { Results = [report.Results[0] with { Leaks = leaks }] };
    }
}
