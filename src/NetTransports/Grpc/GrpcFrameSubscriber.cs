using System.Net;
using Grpc.AspNetCore.Server.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.ObjectPool;
using ShmIpc.NetTransports.Hosting;

namespace ShmIpc.NetTransports.Grpc;

/// <summary>
/// Receives frames over gRPC (Grpc.AspNetCore on Kestrel, HTTP/2 cleartext): each request message of
/// snapshot_feed.proto's <c>Publish</c> or <c>PublishOne</c> is one frame, handed to the <see cref="FrameHandler"/> in
/// place from the request body's buffer, with no message object. Calls to the handler for one call (a streaming
/// publisher connection) are sequential; different calls run concurrently. A handler that throws rejects the message:
/// its call ends with INVALID_ARGUMENT and one log line; other calls carry on. Listens on an IP address and port
/// or, given a <see cref="System.Net.Sockets.UnixDomainSocketEndPoint"/> (<see cref="UnixSockets.UnixSocketPath"/>), on a
/// Unix socket with the same file rules as <see cref="UnixSockets.UnixSocketFrameSubscriber"/>: 0600, in a directory
/// the user owns, a stale file reclaimed, removed on dispose.
/// </summary>
public sealed class GrpcFrameSubscriber : IFrameSubscriber
{
    private readonly SubscriberOptions _options;
    private readonly SubscriberStatisticsRegistry _registry = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Http2ServerHost _host;
    private int _disposed;

    /// <summary>Creates a subscriber; nothing is bound until <see cref="StartAsync"/>.</summary>
    public GrpcFrameSubscriber(FrameHandler handler, SubscriberOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _options = options ?? new SubscriberOptions();
        _options.Validate();
        var pool = new DefaultObjectPool<ReceivedFrame>(new DefaultPooledObjectPolicy<ReceivedFrame>(), maximumRetained: 1024);
        var service = new SnapshotFeedService(pool, _registry, _options.MaxPayloadLength, _options.Log, () => _host!.EndPoint?.ToString() ?? "(not started)", _stopping.Token);
        var provider = new SnapshotFeedMethodProvider(SnapshotFeedMethods.ForServer(handler, pool));
        _host = Http2ServerHost.Create(
            "grpc frame subscriber",
            _options,
            services =>
            {
                services.AddGrpc(grpc =>
                {
                    grpc.MaxReceiveMessageSize = _options.MaxPayloadLength;
                    grpc.EnableDetailedErrors = false; // statuses carry our fixed text only (GrpcFaultStatus)
                });
                services.AddSingleton(service);
                services.AddSingleton<IServiceMethodProvider<SnapshotFeedService>>(provider);
            },
            static application => application.MapGrpcService<SnapshotFeedService>(),
            allowUnixSocket: true);
    }

    /// <summary>The address actually bound (the ephemeral port filled in, or the Unix socket). Valid after <see cref="StartAsync"/>.</summary>
    public EndPoint EndPoint => _host.EndPoint ?? throw new InvalidOperationException("the subscriber is not started");

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
