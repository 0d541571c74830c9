namespace ShmIpc.NetTransports.Grpc;

/// <summary>One pooled gRPC channel (one HTTP/2 connection) of a <see cref="GrpcFramePublisher"/>, in either call mode.</summary>
internal interface IGrpcPublisherConnection : IAsyncDisposable
{
    Task ConnectAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Sends one frame. With <paramref name="mayHold"/> (more frames are due at once) it may complete while the frame is
    /// still held for a later write with others; without, it completes once the frame (and any held before it) is
    /// handed to the HTTP/2 connection.
    /// </summary>
    ValueTask SendAsync<TState>(int payloadLength, FrameEncoder<TState> encode, TState state, bool mayHold, CancellationToken cancellationToken);

    /// <summary>Completes once every frame sent so far is handed to the HTTP/2 connection.</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken);
}
