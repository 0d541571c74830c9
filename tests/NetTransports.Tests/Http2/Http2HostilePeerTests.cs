using System.Net;
using System.Net.Sockets;
using ShmIpc.NetTransports.Http2;
using Xunit.Abstractions;

namespace ShmIpc.NetTransports.Tests.Http2;

/// <summary>Hostile peers against HTTP/2: the frame-level cases in request bodies, and floods of HTTP/2 frames themselves.</summary>
public sealed class Http2HostilePeerTests(ITestOutputHelper output) : HostilePeerContractTests(output)
{
    private const int FloodFrames = 10_000;

    [Fact]
    public Task NotHttp2AtAll_IsClosed() => RunCaseAsync("not HTTP/2", async (endPoint, _) =>
    {
        await using var raw = await StreamSockets.RawStreamSocketFrameStream.OpenAsync(endPoint);
        await raw.WriteAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
        await raw.WaitUntilClosedBySubscriberAsync(Patience);
    }, expectedLogFragment: null);

    [Fact]
    public Task PingFlood_LeavesTheServerServing() => RunFloodAsync("PING flood", connection => Enumerable.Range(0, FloodFrames).Select(i => RawHttp2Connection.PingFrame(i)));

    [Fact]
    public Task SettingsFlood_LeavesTheServerServing() => RunFloodAsync("SETTINGS flood", connection => Enumerable.Range(0, FloodFrames).Select(_ => RawHttp2Connection.SettingsFrame()));

    [Fact]
    public Task RapidReset_LeavesTheServerServing() => RunFloodAsync("rapid reset (HEADERS + RST_STREAM x 1,000)", connection =>
        Enumerable.Range(0, 1000).Select(i => (byte[])[.. connection.RequestFrame((2 * i) + 1), .. RawHttp2Connection.ResetFrame((2 * i) + 1)]));

    [Fact]
    public Task StreamFlood_BeyondTheConcurrentStreamLimit_LeavesTheServerServing() => RunFloodAsync("1,000 streams opened and held", connection =>
        Enumerable.Range(0, 1000).Select(i => connection.RequestFrame((2 * i) + 1)));

    internal override IFrameSubscriber CreateSubscriber(FrameHandler handler, SubscriberOptions options) => new Http2FrameSubscriber(handler, options);

    internal override IFramePublisher CreatePublisher(EndPoint endPoint) => FramePublisher.CreateHttp2((IPEndPoint)endPoint);

    internal override Task<IRawFrameStream> OpenRawStreamAsync(EndPoint endPoint) => RawHttp2FrameStream.OpenAsync((IPEndPoint)endPoint);

    /// <summary>Sends the flood in 64 KiB writes (as fast as the server takes them, never reading its answers), then drops the connection.</summary>
    private Task RunFloodAsync(string name, Func<RawHttp2Connection, IEnumerable<byte[]>> flood) => RunCaseAsync(name, async (endPoint, _) =>
    {
        using RawHttp2Connection connection = await RawHttp2Connection.OpenAsync((IPEndPoint)endPoint);
        var batch = new List<byte>(64 * 1024);
        foreach (byte[] frame in flood(connection))
        {
            batch.AddRange(frame);
            if (batch.Count >= 60 * 1024)
            {
                if (!await connection.SendAsync([.. batch]))
                {
                    return;
                }

                batch.Clear();
            }
        }

        await connection.SendAsync([.. batch]);
    }, expectedLogFragment: null);
}
