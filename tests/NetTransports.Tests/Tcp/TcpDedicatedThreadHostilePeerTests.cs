using System.Net;
using ShmIpc.NetTransports.Tcp;
using ShmIpc.NetTransports.Tests.StreamSockets;
using Xunit.Abstractions;

namespace ShmIpc.NetTransports.Tests.Tcp;

/// <summary>Hostile peers against TCP with a receive thread blocked in recv() per connection (the read timeout must still fire).</summary>
public sealed class TcpDedicatedThreadHostilePeerTests(ITestOutputHelper output) : HostilePeerContractTests(output)
{
    internal override IFrameSubscriber CreateSubscriber(FrameHandler handler, SubscriberOptions options)
    {
        options.DedicatedReceiveThreads = true;
        return new TcpFrameSubscriber(handler, options);
    }

    internal override IFramePublisher CreatePublisher(EndPoint endPoint) => FramePublisher.CreateTcp((IPEndPoint)endPoint);

    internal override Task<IRawFrameStream> OpenRawStreamAsync(EndPoint endPoint) => RawStreamSocketFrameStream.OpenAsync(endPoint);
}
