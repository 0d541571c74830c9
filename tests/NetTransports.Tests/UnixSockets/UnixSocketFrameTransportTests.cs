using System.Net;
using System.Net.Sockets;
using ShmIpc.NetTransports.StreamSockets;
using ShmIpc.NetTransports.Tests.StreamSockets;
using ShmIpc.NetTransports.UnixSockets;

namespace ShmIpc.NetTransports.Tests.UnixSockets;

/// <summary>
/// The frame-transport contract for Unix domain sockets (one blocking receive thread per connection, the default).
/// Where the contract names an IP end point as a placeholder (the default options, a publisher's argument check), each
/// subscriber and publisher gets a fresh socket path in this test's own directory instead.
/// </summary>
public sealed class UnixSocketFrameTransportTests : HeldFrameTransportContractTests, IDisposable
{
    private readonly TestSocketDirectory _directory = new();

    internal override string TransportThreadNamePrefix => StreamSocketSubscriberConnection.ReceiveThreadName;

    internal override int TransportThreadsWhileRunning(int connections) => Math.Min(connections, new SubscriberOptions().MaxDedicatedReceiveThreads);

    internal override string DisconnectMidMessageLogFragment => "closed: ";

    internal override (EndPoint EndPoint, string Named) AnEndPointThisHostCannotBind
    {
        get
        {
            string missing = Path.Combine(_directory.Path, "no-such-directory");
            return (new UnixDomainSocketEndPoint(Path.Combine(missing, "s.sock")), missing);
        }
    }

    internal override (EndPoint EndPoint, string Named) AnEndPointNobodyListensOn()
    {
        string path = _directory.NextPath();
        return (new UnixDomainSocketEndPoint(path), path);
    }

    internal override int ConnectionEndsAt(EndPoint endPoint) => UnixSocketConnectionEnds.At(endPoint.ToString()!);

    internal override int ConnectionEndsSeenPerConnection => 1;

    internal override IFrameSubscriber CreateSubscriber(FrameHandler handler, SubscriberOptions options)
    {
        if (options.EndPoint is IPEndPoint)
        {
            options.EndPoint = _directory.NextEndPoint();
        }

        options.DedicatedReceiveThreads = true;
        return new UnixSocketFrameSubscriber(handler, options);
    }

    internal override IFramePublisher CreatePublisher(EndPoint endPoint, PublisherOptions options) =>
        FramePublisher.CreateUnixSocket(endPoint as UnixDomainSocketEndPoint ?? _directory.NextEndPoint(), options);

    internal override Task<IRawFrameStream> OpenRawStreamAsync(EndPoint endPoint) => RawStreamSocketFrameStream.OpenAsync(endPoint);

    public void Dispose() => _directory.Dispose();
}
