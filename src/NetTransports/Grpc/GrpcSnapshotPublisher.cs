using System.Net;
using ShmIpc.Codecs.Protobuf;

namespace ShmIpc.NetTransports.Grpc;

/// <summary>
/// Sends <see cref="Snapshot"/> messages to a <see cref="GrpcSnapshotSubscriber"/> over a pool of gRPC channels
/// (one HTTP/2 connection each), round-robin: by default one client-streaming call per channel for the whole run, or
/// one unary call per message (<see cref="PublisherOptions.RequestPerMessage"/>). No channel or call is created per
/// message in the streaming mode. Not thread-safe: one sender at a time; the snapshot may be reused once a send completes.
/// </summary>
public sealed class GrpcSnapshotPublisher : IAsyncDisposable
{
    private readonly IPEndPoint _endPoint;
    private readonly PublisherOptions _options;
    private IGrpcPublisherConnection[] _connections = [];
    private int _next;

    /// <summary>Creates a publisher for the subscriber at <paramref name="endPoint"/>; nothing connects until <see cref="ConnectAsync"/>.</summary>
    public GrpcSnapshotPublisher(IPEndPoint endPoint, PublisherOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        _endPoint = endPoint;
        _options = options ?? new PublisherOptions();
        _options.Validate();
    }

    /// <summary>Channels (connections) in the pool.</summary>
    public int ConnectionCount => _options.ConnectionCount;

    /// <summary>Opens every channel and its call; throws <see cref="TransportException"/> when refused or after the connect timeout.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        if (_connections.Length != 0)
        {
            throw new InvalidOperationException("the publisher is already connected");
        }

        var pool = new IGrpcPublisherConnection[_options.ConnectionCount];
        for (int index = 0; index < pool.Length; index++)
        {
            pool[index] = _options.RequestPerMessage ? new GrpcUnaryConnection(_endPoint, index, _options) : new GrpcStreamingConnection(_endPoint, index, _options);
        }

        try
        {
            await Task.WhenAll(pool.Select(connection => connection.ConnectAsync(cancellationToken))).ConfigureAwait(false);
        }
        catch
        {
            await Task.WhenAll(pool.Select(connection => connection.DisposeAsync().AsTask())).ConfigureAwait(false);
            throw;
        }

        _connections = pool;
    }

    /// <summary>Sends one snapshot on the next channel; throws <see cref="TransportException"/> if the subscriber is gone.</summary>
    public ValueTask SendAsync(Snapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        IGrpcPublisherConnection[] pool = _connections;
        if (pool.Length == 0)
        {
            throw new InvalidOperationException("the publisher is not connected (call ConnectAsync first)");
        }

        int index = _next;
        _next = index + 1 == pool.Length ? 0 : index + 1;
        return pool[index].SendAsync(snapshot, cancellationToken);
    }

    /// <summary>Ends every call, waits for the answers, closes the channels.</summary>
    public async ValueTask DisposeAsync()
    {
        IGrpcPublisherConnection[] closing = _connections;
        _connections = [];
        await Task.WhenAll(closing.Select(connection => connection.DisposeAsync().AsTask())).ConfigureAwait(false);
    }
}
