namespace ShmIpc.NetTransports.Tests;

/// <summary>A transport's publisher as <see cref="TransportContractTests"/> drives it: it sends the transport's test message for a sequence.</summary>
internal interface IContractPublisher : IAsyncDisposable
{
    Task ConnectAsync();

    /// <summary>Sends test message <paramref name="sequence"/> at once (not held for a batch).</summary>
    ValueTask SendAsync(long sequence);
}
