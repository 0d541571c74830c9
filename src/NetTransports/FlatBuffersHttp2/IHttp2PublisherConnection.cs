namespace ShmIpc.NetTransports.FlatBuffersHttp2;

/// <summary>One pooled HTTP/2 connection of an <see cref="Http2FramePublisher"/>, in either send mode.</summary>
internal interface IHttp2PublisherConnection : IAsyncDisposable
{
    Task ConnectAsync(CancellationToken cancellationToken);

    ValueTask SendAsync<TState>(int maxPayloadLength, FrameEncoder<TState> encode, TState state, CancellationToken cancellationToken);
}
