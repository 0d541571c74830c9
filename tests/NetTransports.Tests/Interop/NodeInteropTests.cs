using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text.Json;
using ShmIpc.NetTransports.Http2;
using ShmIpc.NetTransports.Tcp;

namespace ShmIpc.NetTransports.Tests.Interop;

/// <summary>
/// The byte transports against an implementation nobody here wrote the transport of: Node's own <c>net</c> and
/// <c>http2</c> modules, driven by scripts (Interop/node) written from docs/net-transports.md's wire spec. Both
/// directions: Node clients to our subscribers, our publishers to Node servers. Every frame arrives, intact.
/// </summary>
public sealed class NodeInteropTests
{
    private const int FrameCount = 200;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [NodeFact]
    public Task NodeTcpClient_IsServedByOurTcpSubscriber() =>
        AssertNodeClientServedAsync(handler => new TcpFrameSubscriber(handler, Options()), "tcp", "done", expectedLines: 1);

    [NodeFact]
    public Task NodeHttp2Client_StreamingOneBody_IsServedByOurHttp2Subscriber_AndAnswered204() =>
        AssertNodeClientServedAsync(handler => new Http2FrameSubscriber(handler, Options()), "http2", "status 204", expectedLines: 1);

    [NodeFact]
    public Task NodeHttp2Client_OneRequestPerFrame_IsServedByOurHttp2Subscriber_AndAnswered204() =>
        AssertNodeClientServedAsync(handler => new Http2FrameSubscriber(handler, Options()), "http2-per-message", "status 204", expectedLines: FrameCount);

    [NodeFact]
    public Task OurTcpPublisher_IsReadByANodeTcpServer() =>
        AssertNodeServerReadsAsync("tcp", endPoint => FramePublisher.CreateTcp(endPoint));

    [NodeFact]
    public Task OurHttp2Publisher_Streaming_IsReadByANodeHttp2Server() =>
        AssertNodeServerReadsAsync("http2", endPoint => FramePublisher.CreateHttp2(endPoint));

    [NodeFact]
    public Task OurHttp2Publisher_RequestPerMessage_IsReadByANodeHttp2Server() =>
        AssertNodeServerReadsAsync("http2", endPoint => FramePublisher.CreateHttp2(endPoint, new PublisherOptions { RequestPerMessage = true }));

    private static SubscriberOptions Options() => new() { MaxPayloadLength = InteropFrames.MaxPayloadLength };

    private static async Task AssertNodeClientServedAsync(Func<FrameHandler, IFrameSubscriber> create, string mode, string expectedLine, int expectedLines)
    {
        var tally = new InteropTally();
        await using IFrameSubscriber subscriber = create(tally.Record);
        await subscriber.StartAsync();

        using var client = NodeProcess.Start("frame-client.mjs", mode, ((IPEndPoint)subscriber.EndPoint).Port.ToString(CultureInfo.InvariantCulture), FrameCount.ToString(CultureInfo.InvariantCulture));
        for (int line = 0; line < expectedLines; line++)
        {
            Assert.Equal(expectedLine, client.ReadLine(Patience));
        }

        Assert.Equal(0, client.WaitForExit(Patience));
        await Eventually.HoldsAsync(() => tally.Frames == FrameCount, Patience, $"{FrameCount} frames");
        tally.AssertIsFirst(FrameCount);
        Assert.Equal(0, subscriber.Statistics.Errors);
    }

    private static async Task AssertNodeServerReadsAsync(string mode, Func<IPEndPoint, IFramePublisher> create)
    {
        using var server = NodeProcess.Start("frame-server.mjs", mode);
        string listening = server.ReadLine(Patience);
        Assert.StartsWith("listening ", listening, StringComparison.Ordinal);
        var endPoint = new IPEndPoint(IPAddress.Loopback, int.Parse(listening["listening ".Length..], CultureInfo.InvariantCulture));

        await using (IFramePublisher publisher = create(endPoint))
        {
            await publisher.ConnectAsync();
            for (int k = 0; k < FrameCount; k++)
            {
                await publisher.SendAsync(InteropFrames.MaxPayloadLength, static (destination, frame) => InteropFrames.Write(destination, frame), k);
            }
        }

        var tally = new InteropTally();
        while (tally.Frames < FrameCount)
        {
            using JsonDocument stream = JsonDocument.Parse(server.ReadLine(Patience));
            JsonElement report = stream.RootElement;
            Assert.False(report.TryGetProperty("error", out JsonElement error), $"node: {error}");
            Assert.Equal(0, report.GetProperty("partial").GetInt32());
            tally.Add(report);
        }

        tally.AssertIsFirst(FrameCount);
        server.CloseInput();
        Assert.Equal(0, server.WaitForExit(Patience));
    }
}
