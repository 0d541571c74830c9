namespace ShmIpc.NetTransports.Grpc;

/// <summary>One pooled gRPC channel (one HTTP/2 connection) of a <see cref="GrpcFramePublisher"/>, in either call mode.</summary>
internal interface IGrpcPublisherConnection : IAsyncDisposable
{
    Task ConnectAsync(CancellationToken cancellationToken);

    ValueTask SendAsync<TState>(int payloadLength, FrameEncoder<TState> encode, TState state, CancellationToken cancellationToken);
}
