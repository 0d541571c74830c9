using System.Net;
using Grpc.AspNetCore.Server.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.ObjectPool;
using ShmIpc.Codecs.Protobuf;
using ShmIpc.NetTransports.Hosting;

namespace ShmIpc.NetTransports.Grpc;

/// <summary>
/// Receives <see cref="Snapshot"/> messages over gRPC (Grpc.AspNetCore on Kestrel, HTTP/2 cleartext) and calls the
/// handler with each one. The snapshot passed is reused for a later message: it is valid only during the call.
/// Each message is parsed in place from the request body's buffer into a pooled snapshot whose instruments are
/// reused, so the parse allocates nothing in steady state; what remains per message is gRPC's and Kestrel's own
/// per-read bookkeeping (measured by the allocation test). Calls to the handler for one call (publisher connection)
/// are sequential; different calls run concurrently.
/// </summary>
public sealed class GrpcSnapshotSubscriber : IAsyncDisposable
{
    private readonly SubscriberOptions _options;
    private readonly SubscriberStatisticsRegistry _registry = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Http2ServerHost _host;
    private int _disposed;

    /// <summary>Creates a subscriber; nothing is bound until <see cref="StartAsync"/>.</summary>
    public GrpcSnapshotSubscriber(Action<Snapshot> handler, SubscriberOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _options = options ?? new SubscriberOptions();
        _options.Validate();
        var pool = new DefaultObjectPool<ReusableSnapshot>(new ReusableSnapshotPolicy(), maximumRetained: 1024);
        var service = new SnapshotFeedService(handler, pool, _registry, _options.Log, () => _host!.EndPoint.ToString(), _stopping.Token);
        var provider = new SnapshotFeedMethodProvider(SnapshotFeedMethods.ForServer(pool));
        _host = Http2ServerHost.Create(
            "grpc snapshot subscriber",
            _options,
            services =>
            {
                services.AddGrpc(grpc =>
                {
                    grpc.MaxReceiveMessageSize = _options.MaxPayloadLength;
                    grpc.EnableDetailedErrors = true;
                });
                services.AddSingleton(service);
                services.AddSingleton<IServiceMethodProvider<SnapshotFeedService>>(provider);
            },
            static application => application.MapGrpcService<SnapshotFeedService>());
    }

    /// <summary>The address actually bound (the ephemeral port filled in). Valid after <see cref="StartAsync"/>.</summary>
    public IPEndPoint EndPoint => _host.EndPoint.Port != 0 ? _host.EndPoint : throw new InvalidOperationException("the subscriber is not started");

    /// <summary>Counters summed over every call so far (a "connection" is a call: one per streaming publisher connection, one per unary message).</summary>
    public TransportStatistics Statistics => _registry.Snapshot();

    /// <summary>Binds and starts serving. Throws <see cref="TransportException"/> if the address cannot be bound.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return _host.StartAsync(_options.EndPoint, cancellationToken);
    }

    /// <summary>Ends every call, stops Kestrel and waits for it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _host.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
