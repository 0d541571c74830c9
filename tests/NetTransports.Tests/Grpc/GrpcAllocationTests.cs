using ShmIpc.Codecs.Protobuf;
using ShmIpc.NetTransports.Grpc;
using Xunit.Abstractions;

namespace ShmIpc.NetTransports.Tests.Grpc;

/// <summary>Bytes a subscriber process allocates per snapshot (128 instruments) on gRPC (streaming call), after a warm-up.</summary>
public sealed class GrpcAllocationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task StreamingReceivePath_AllocatesLessThanTheGoFigurePerMessage()
    {
        Snapshot snapshot = TestSnapshots.Create(TestSnapshots.MaxInstruments - 1);
        double perMessage = await ReceiverProcess.MeasureBytesPerMessageAsync("grpc", 2_000, 10_000, async (endPoint, count) =>
        {
            await using var publisher = new GrpcSnapshotPublisher(endPoint);
            await publisher.ConnectAsync();
            for (long sequence = 0; sequence < count; sequence++)
            {
                snapshot.Sequence = sequence;
                await publisher.SendAsync(snapshot);
            }
        });
        output.WriteLine($"receiver process: {perMessage:0.##} bytes/message ({snapshot.CalculateSize()}-byte snapshots)");

        // The seed article's Go gRPC figure: 42.6 MB/s at 50k msg/s, about 850 bytes per message.
        Assert.InRange(perMessage, 0, 850);
    }
}
