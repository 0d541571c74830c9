namespace ShmIpc.NetTransports.Http2;

/// <summary>One pooled HTTP/2 connection of an <see cref="Http2FramePublisher"/>, in either send mode.</summary>
internal interface IHttp2PublisherConnection : IFramePublisherConnection
{
    Task ConnectAsync(CancellationToken cancellationToken);
}
