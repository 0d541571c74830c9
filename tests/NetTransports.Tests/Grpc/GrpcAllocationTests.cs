using Xunit.Abstractions;

namespace ShmIpc.NetTransports.Tests.Grpc;

/// <summary>Bytes a subscriber process allocates per 16 KiB frame on gRPC (streaming call), after a warm-up.</summary>
public sealed class GrpcAllocationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task StreamingReceivePath_AllocatesLessThanTheGoFigurePerMessage()
    {
        double perMessage = await ReceiverProcess.MeasureBytesPerMessageAsync("grpc", 2_000, 10_000, async (endPoint, count) =>
        {
            await using var publisher = new ShmIpc.NetTransports.Grpc.GrpcFramePublisher(endPoint);
            await publisher.ConnectAsync();
            byte[] payload = new byte[16 * 1024];
            for (long sequence = 0; sequence < count; sequence++)
            {
                await publisher.SendAsync(payload);
            }
        });
        output.WriteLine($"receiver process: {perMessage:0.##} bytes/message (16 KiB frames)");

        // The seed article's Go gRPC figure: 42.6 MB/s at 50k msg/s, about 850 bytes per message.
        Assert.InRange(perMessage, 0, 850);
    }
}
