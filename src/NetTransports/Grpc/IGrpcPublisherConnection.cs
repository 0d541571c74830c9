using ShmIpc.Codecs.Protobuf;

namespace ShmIpc.NetTransports.Grpc;

/// <summary>One pooled gRPC channel (one HTTP/2 connection) of a <see cref="GrpcSnapshotPublisher"/>, in either call mode.</summary>
internal interface IGrpcPublisherConnection : IAsyncDisposable
{
    Task ConnectAsync(CancellationToken cancellationToken);

    ValueTask SendAsync(Snapshot snapshot, CancellationToken cancellationToken);
}
