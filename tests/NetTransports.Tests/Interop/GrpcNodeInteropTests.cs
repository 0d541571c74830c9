using System.Globalization;
using System.Net;
using System.Text.Json;
using ShmIpc.NetTransports.Grpc;

namespace ShmIpc.NetTransports.Tests.Interop;

/// <summary>
/// The gRPC transport against @grpc/grpc-js, a standard implementation nobody here wrote (Interop/node/grpc-peer.cjs,
/// snapshot_feed.proto's methods with the payload passed through). Both directions, both call shapes: a grpc-js client
/// to our subscriber, our publisher to a grpc-js server (which, unlike ours, sends no response headers before its
/// answer). Every frame arrives, intact.
/// </summary>
public sealed class GrpcNodeInteropTests
{
    private const int FrameCount = 200;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [NodeFact]
    public Task GrpcJsClient_OneStreamingCall_IsServedByOurSubscriber() => AssertGrpcJsClientServedAsync("stream", expectedDone: 1);

    [NodeFact]
    public Task GrpcJsClient_OneUnaryCallPerFrame_IsServedByOurSubscriber() => AssertGrpcJsClientServedAsync("unary", expectedDone: FrameCount);

    [NodeFact]
    public Task OurPublisher_Streaming_IsReadByAGrpcJsServer() => AssertGrpcJsServerReadsAsync(new PublisherOptions());

    [NodeFact]
    public Task OurPublisher_UnaryPerFrame_IsReadByAGrpcJsServer() => AssertGrpcJsServerReadsAsync(new PublisherOptions { RequestPerMessage = true });

    private static void AssertPeerInstalled() =>
        Assert.True(Directory.Exists(Path.Combine(NodeProcess.NodeModules, "@grpc", "grpc-js")),
            $"@grpc/grpc-js is not installed in {NodeProcess.NodeModules}: `./run-linux.sh test` installs it (npm ci in tests/NetTransports.Tests/Interop/node)");

    private static async Task AssertGrpcJsClientServedAsync(string shape, int expectedDone)
    {
        AssertPeerInstalled();
        var tally = new InteropTally();
        await using var subscriber = new GrpcFrameSubscriber(tally.Record, new SubscriberOptions { MaxPayloadLength = InteropFrames.MaxPayloadLength });
        await subscriber.StartAsync();

        using var client = NodeProcess.Start("grpc-peer.cjs", "client", ((IPEndPoint)subscriber.EndPoint).Port.ToString(CultureInfo.InvariantCulture), FrameCount.ToString(CultureInfo.InvariantCulture), shape);
        for (int line = 0; line < expectedDone; line++)
        {
            Assert.Equal("done", client.ReadLine(Patience));
        }

        Assert.Equal(0, client.WaitForExit(Patience));
        tally.AssertIsFirst(FrameCount);
        Assert.Equal(0, subscriber.Statistics.Errors);
    }

    private static async Task AssertGrpcJsServerReadsAsync(PublisherOptions options)
    {
        AssertPeerInstalled();
        using var server = NodeProcess.Start("grpc-peer.cjs", "server");
        string listening = server.ReadLine(Patience);
        Assert.StartsWith("listening ", listening, StringComparison.Ordinal);
        var endPoint = new IPEndPoint(IPAddress.Loopback, int.Parse(listening["listening ".Length..], CultureInfo.InvariantCulture));

        await using (var publisher = new GrpcFramePublisher(endPoint, options))
        {
            await publisher.ConnectAsync();
            for (int k = 0; k < FrameCount; k++)
            {
                await publisher.SendAsync(InteropFrames.LengthOf(k), static (destination, frame) => InteropFrames.Write(destination, frame), k);
            }
        }

        // One report per call, the connect's empty Publish call included.
        var tally = new InteropTally();
        while (tally.Frames < FrameCount)
        {
            using JsonDocument call = JsonDocument.Parse(server.ReadLine(Patience));
            tally.Add(call.RootElement);
        }

        tally.AssertIsFirst(FrameCount);
        server.CloseInput();
        Assert.Equal(0, server.WaitForExit(Patience));
    }
}
