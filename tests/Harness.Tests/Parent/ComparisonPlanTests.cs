using ShmIpc.Harness.Parent;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Tests.Parent;

public sealed class ComparisonPlanTests
{
    [Fact]
    public void EachSize_RunsEveryTransport_AndEachShmRunHasItsOwnSegment()
    {
        IReadOnlyList<RunSettings> plan = ComparisonPlan.Build(
            [TransportKind.SharedMemory, TransportKind.MessagePackTcp], [1024, 16384, 1024], TestSettings.Options());

        Assert.Equal(
            [(TransportKind.SharedMemory, 1024), (TransportKind.MessagePackTcp, 1024), (TransportKind.SharedMemory, 16384), (TransportKind.MessagePackTcp, 16384)],
            plan.Select(settings => (settings.Transport, settings.PayloadBytes)));
        Assert.Equal([$"shmipc-harness-{Environment.ProcessId}-0", null, $"shmipc-harness-{Environment.ProcessId}-2", null], plan.Select(settings => settings.SegmentName));
    }
}
