using ShmIpc.NetTransports.Http2;
using Xunit.Abstractions;

namespace ShmIpc.NetTransports.Tests.Http2;

/// <summary>Bytes a subscriber process allocates per 16 KiB frame on the HTTP/2 transport (streaming mode), after a warm-up.</summary>
public sealed class Http2AllocationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task StreamingReceivePath_AllocatesLessThanTheGoFigurePerFrame()
    {
        double perFrame = await ReceiverProcess.MeasureBytesPerMessageAsync("http2", 2_000, 10_000, async (endPoint, count) =>
        {
            await using var publisher = FramePublisher.CreateHttp2(endPoint);
            await ReceiverProcess.SendFramesAsync(publisher, count);
        });
        output.WriteLine($"receiver process: {perFrame:0.##} bytes/frame");

        // The seed article's Go FlatBuffers/HTTP/2 figure: 5.1 MB/s at 50k msg/s, about 100 bytes per message.
        Assert.InRange(perFrame, 0, 100);
    }
}
