namespace ShmIpc.NetTransports.Http2;

/// <summary>One pooled HTTP/2 connection of a <see cref="FramePublisher"/>, in either send mode: created, then connected.</summary>
internal interface IHttp2PublisherConnection : IFramePublisherConnection
{
    Task ConnectAsync(CancellationToken cancellationToken);
}
