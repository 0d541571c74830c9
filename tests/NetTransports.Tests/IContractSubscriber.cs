using System.Net;

namespace ShmIpc.NetTransports.Tests;

/// <summary>A transport's subscriber as <see cref="TransportContractTests"/> drives it, whatever the message type.</summary>
internal interface IContractSubscriber : IAsyncDisposable
{
    EndPoint EndPoint { get; }

    TransportStatistics Statistics { get; }

    Task StartAsync();
}
