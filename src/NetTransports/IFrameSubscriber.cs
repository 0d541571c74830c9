using System.Net;

namespace ShmIpc.NetTransports;

/// <summary>
/// The receiving (server) side of a byte-frame transport. Construct with a <see cref="FrameHandler"/>,
/// <see cref="StartAsync"/> to listen, read <see cref="EndPoint"/> for the bound port, dispose to stop
/// (closes every connection and waits for the receive loops to end).
/// </summary>
public interface IFrameSubscriber : IAsyncDisposable
{
    /// <summary>
    /// The address actually bound (an <see cref="IPEndPoint"/> with the ephemeral port filled in, or the
    /// <see cref="System.Net.Sockets.UnixDomainSocketEndPoint"/> listened on). Valid after <see cref="StartAsync"/>.
    /// </summary>
    EndPoint EndPoint { get; }

    /// <summary>Counters summed over every connection so far.</summary>
    TransportStatistics Statistics { get; }

    /// <summary>Binds and starts accepting. Throws <see cref="TransportException"/> if the address cannot be bound.</summary>
    Task StartAsync(CancellationToken cancellationToken = default);
}
