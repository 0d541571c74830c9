using System.Net;
using ShmIpc.NetTransports.Tcp;
using ShmIpc.NetTransports.Tests.StreamSockets;

namespace ShmIpc.NetTransports.Tests.Tcp;

/// <summary>The frame-transport contract for TCP with one blocking receive thread per connection (the default).</summary>
public sealed class TcpFrameTransportDedicatedThreadTests : HeldFrameTransportContractTests
{
    internal override string TransportThreadNamePrefix => ShmIpc.NetTransports.StreamSockets.StreamSocketSubscriberConnection.ReceiveThreadName;

    // One blocking receive thread per connection, up to the subscriber's cap (the rest run the async loop).
    internal override int TransportThreadsWhileRunning(int connections) => Math.Min(connections, new SubscriberOptions().MaxDedicatedReceiveThreads);

    internal override string DisconnectMidMessageLogFragment => "closed: ";

    internal override IFrameSubscriber CreateSubscriber(FrameHandler handler, SubscriberOptions options)
    {
        options.DedicatedReceiveThreads = true;
        return new TcpFrameSubscriber(handler, options);
    }

    internal override IFramePublisher CreatePublisher(EndPoint endPoint, PublisherOptions options) => FramePublisher.CreateTcp((IPEndPoint)endPoint, options);

    internal override Task<IRawFrameStream> OpenRawStreamAsync(EndPoint endPoint) => RawStreamSocketFrameStream.OpenAsync(endPoint);
}
