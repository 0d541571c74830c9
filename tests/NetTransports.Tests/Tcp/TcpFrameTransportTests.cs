using System.Net;
using ShmIpc.NetTransports.Tcp;
using ShmIpc.NetTransports.Tests.StreamSockets;

namespace ShmIpc.NetTransports.Tests.Tcp;

/// <summary>The frame-transport contract for TCP with async receive loops on the thread pool.</summary>
public sealed class TcpFrameTransportTests : HeldFrameTransportContractTests
{
    internal override string TransportThreadNamePrefix => ShmIpc.NetTransports.StreamSockets.StreamSocketSubscriberConnection.ReceiveThreadName;

    // Receive loops run on the thread pool: no thread of its own.
    internal override int TransportThreadsWhileRunning(int connections) => 0;

    internal override string DisconnectMidMessageLogFragment => "closed: ";

    internal override IFrameSubscriber CreateSubscriber(FrameHandler handler, SubscriberOptions options)
    {
        options.DedicatedReceiveThreads = false;
        return new TcpFrameSubscriber(handler, options);
    }

    internal override IFramePublisher CreatePublisher(EndPoint endPoint, PublisherOptions options) => FramePublisher.CreateTcp((IPEndPoint)endPoint, options);

    internal override Task<IRawFrameStream> OpenRawStreamAsync(EndPoint endPoint) => RawStreamSocketFrameStream.OpenAsync(endPoint);
}
