using System.Net;
using ShmIpc.Codecs.Protobuf;
using ShmIpc.NetTransports.Grpc;

namespace ShmIpc.NetTransports.Tests.Grpc;

/// <summary>A <see cref="GrpcSnapshotPublisher"/> as the transport contract drives it: it sends <see cref="TestSnapshots"/>.</summary>
internal sealed class GrpcContractPublisher(IPEndPoint endPoint, PublisherOptions options) : IContractPublisher
{
    private readonly GrpcSnapshotPublisher _publisher = new(endPoint, options);

    // One snapshot object refilled for every message, as the harness does: a send must be done with it on return.
    private readonly Snapshot _snapshot = new();

    public Task ConnectAsync() => _publisher.ConnectAsync();

    public ValueTask SendAsync(long sequence)
    {
        TestSnapshots.Fill(_snapshot, sequence);
        return _publisher.SendAsync(_snapshot);
    }

    public ValueTask DisposeAsync() => _publisher.DisposeAsync();
}
