using System.Net;
using ShmIpc.NetTransports.Grpc;

namespace ShmIpc.NetTransports.Tests.Grpc;

/// <summary>A <see cref="GrpcSnapshotSubscriber"/> as the transport contract drives it: each snapshot checked against <see cref="TestSnapshots"/>.</summary>
internal sealed class GrpcContractSubscriber(MessageHandler onMessage, SubscriberOptions options) : IContractSubscriber
{
    private readonly GrpcSnapshotSubscriber _subscriber = new(snapshot => onMessage(snapshot.Sequence, TestSnapshots.IsIntact(snapshot)), options);

    public EndPoint EndPoint => _subscriber.EndPoint;

    public TransportStatistics Statistics => _subscriber.Statistics;

    public Task StartAsync() => _subscriber.StartAsync();

    public ValueTask DisposeAsync() => _subscriber.DisposeAsync();
}
