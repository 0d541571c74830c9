using System.Net;
using ShmIpc.NetTransports.Tcp;
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

    internal override IFramePublisher CreatePublisher(IPEndPoint endPoint) => FramePublisher.CreateTcp(endPoint);

    internal override Task<IRawFrameStream> OpenRawStreamAsync(IPEndPoint endPoint) => RawTcpFrameStream.OpenAsync(endPoint);
}
