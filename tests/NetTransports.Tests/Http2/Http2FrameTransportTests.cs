using System.Net;
using ShmIpc.NetTransports.Http2;

namespace ShmIpc.NetTransports.Tests.Http2;

/// <summary>The frame-transport contract for HTTP/2 with one streaming request body per connection (the default).</summary>
public sealed class Http2FrameTransportTests : HeldFrameTransportContractTests
{
    internal override string TransportThreadNamePrefix => "Kestrel Timer";

    // Kestrel's heartbeat thread, one per server.
    internal override int TransportThreadsWhileRunning(int connections) => 1;

    internal override string DisconnectMidMessageLogFragment => "request stream from";

    internal override IFrameSubscriber CreateSubscriber(FrameHandler handler, SubscriberOptions options) => new Http2FrameSubscriber(handler, options);

    internal override IFramePublisher CreatePublisher(EndPoint endPoint, PublisherOptions options) => FramePublisher.CreateHttp2((IPEndPoint)endPoint, options);

    internal override Task<IRawFrameStream> OpenRawStreamAsync(EndPoint endPoint) => RawHttp2FrameStream.OpenAsync((IPEndPoint)endPoint);
}
