using System.Net;

namespace ShmIpc.NetTransports.Tests;

/// <summary>An <see cref="IFrameSubscriber"/> as the transport contract drives it.</summary>
internal sealed class FrameContractSubscriber(IFrameSubscriber subscriber) : IContractSubscriber
{
    public EndPoint EndPoint => subscriber.EndPoint;

    public TransportStatistics Statistics => subscriber.Statistics;

    public Task StartAsync() => subscriber.StartAsync();

    public ValueTask DisposeAsync() => subscriber.DisposeAsync();
}
