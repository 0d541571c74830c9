using ShmIpc.Harness.Parent.Reporting;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Tests.Parent.Reporting;

public sealed class RunMedianTests
{
    [Fact]
    public void AllocationSources_ComeFromTheRunWhoseTotalIsTheMedian_PerSide()
    {
        TransportResult[] runs =
        [
            Run("first", senderBytesPerMessage: 100, receiverBytesPerMessage: 3),
            Run("second", senderBytesPerMessage: 300, receiverBytesPerMessage: 1),
            Run("third", senderBytesPerMessage: 200, receiverBytesPerMessage: 5),
        ];

        TransportResult median = RunMedian.Of(runs);

        Assert.Equal(200, median.AllocatedBytesPerMessage!.Sender);
        Assert.Equal("third sender", Assert.Single(median.AllocationSources!.Sender).Type);
        Assert.Equal(3, median.AllocatedBytesPerMessage.Receiver);
        Assert.Equal("first receiver", Assert.Single(median.AllocationSources.Receiver).Type);
    }

    private static TransportResult Run(string name, double senderBytesPerMessage, double receiverBytesPerMessage) => new()
    {
        Transport = "grpc",
        Codec = "protobuf",
        PayloadBytes = 16384,
        Status = TransportResult.StatusOk,
        LatencyNs = new LatencyPercentiles(1, 2, 3, 4, 5, 6, 2, 10),
        AllocatedBytesPerMessage = new PerSide<double>(senderBytesPerMessage, receiverBytesPerMessage),
        AllocationSources = new PerSide<IReadOnlyList<AllocationSource>>(
            [new AllocationSource($"{name} sender", senderBytesPerMessage)],
            [new AllocationSource($"{name} receiver", receiverBytesPerMessage)]),
    };
}
