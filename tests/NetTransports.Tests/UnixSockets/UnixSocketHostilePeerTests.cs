using System.Net;
using System.Net.Sockets;
using ShmIpc.NetTransports.Tests.StreamSockets;
using ShmIpc.NetTransports.UnixSockets;
using Xunit.Abstractions;

namespace ShmIpc.NetTransports.Tests.UnixSockets;

/// <summary>Hostile peers against Unix domain sockets, one blocking receive thread per connection (the read timeout must still fire).</summary>
public sealed class UnixSocketHostilePeerTests(ITestOutputHelper output) : HostilePeerContractTests(output), IDisposable
{
    private readonly TestSocketDirectory _directory = new();

    internal override IFrameSubscriber CreateSubscriber(FrameHandler handler, SubscriberOptions options)
    {
        options.EndPoint = _directory.NextEndPoint();
        options.DedicatedReceiveThreads = true;
        return new UnixSocketFrameSubscriber(handler, options);
    }

    internal override IFramePublisher CreatePublisher(EndPoint endPoint) => FramePublisher.CreateUnixSocket((UnixDomainSocketEndPoint)endPoint);

    internal override Task<IRawFrameStream> OpenRawStreamAsync(EndPoint endPoint) => RawStreamSocketFrameStream.OpenAsync(endPoint);

    public void Dispose() => _directory.Dispose();
}
