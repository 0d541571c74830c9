using System.Net;

namespace ShmIpc.NetTransports.Grpc;

/// <summary>
/// Sends frames (encoded snapshots) as the request messages of snapshot_feed.proto's methods to a
/// <see cref="GrpcFrameSubscriber"/> or any server of that service, over a pool of gRPC channels (one HTTP/2
/// connection each), round-robin: by default one client-streaming <c>Publish</c> call per channel for the whole run,
/// or one unary <c>PublishOne</c> call per message (<see cref="PublisherOptions.RequestPerMessage"/>). No channel or
/// call is created per message in the streaming mode, and the encoder writes straight into the call's buffer.
/// Not thread-safe: one sender at a time, and each send must complete before the next starts.
/// </summary>
public sealed class GrpcFramePublisher : IAsyncDisposable
{
    private readonly EndPoint _endPoint;
    private readonly PublisherOptions _options;
    private IGrpcPublisherConnection[] _connections = [];
    private int _next;

    /// <summary>Creates a publisher for the subscriber at <paramref name="endPoint"/>; nothing connects until <see cref="ConnectAsync"/>.</summary>
    /// <remarks>An <see cref="IPEndPoint"/>, or a <see cref="System.Net.Sockets.UnixDomainSocketEndPoint"/> for a subscriber on a Unix socket.</remarks>
    public GrpcFramePublisher(EndPoint endPoint, PublisherOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        if (endPoint is not (IPEndPoint or System.Net.Sockets.UnixDomainSocketEndPoint))
        {
            throw new ArgumentException($"a grpc publisher connects to an IP address and port or a Unix socket, not {endPoint}", nameof(endPoint));
        }

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

    /// <summary>
    /// Sends one frame on the next channel: <paramref name="encode"/> writes exactly <paramref name="payloadLength"/>
    /// bytes (gRPC's message prefix carries the length before the payload, so it is known first; an encoder that
    /// writes another count fails the send with <see cref="ArgumentException"/>). Throws
    /// <see cref="TransportException"/> if the subscriber is gone. <paramref name="state"/> is not used after the
    /// send completes.
    /// </summary>
    public ValueTask SendAsync<TState>(int payloadLength, FrameEncoder<TState> encode, TState state, CancellationToken cancellationToken = default) =>
        Send(payloadLength, encode, state, mayHold: false, cancellationToken);

    /// <summary>
    /// As <see cref="SendAsync{TState}"/>, but the send may complete while the frame is still held by its channel, to
    /// go out in one HTTP/2 write with the frames after it (while that channel's previous write is in flight, up to
    /// 256 KiB are held; a channel with nothing in flight sends at once). For a sender that knows more frames are due
    /// now; frames keep their order per channel. <see cref="FlushAsync"/> (or a <see cref="SendAsync{TState}"/>
    /// on that channel) waits until they are handed to the connection. (With
    /// <see cref="PublisherOptions.RequestPerMessage"/> every frame is its own call, started at once.)
    /// </summary>
    public ValueTask WriteAsync<TState>(int payloadLength, FrameEncoder<TState> encode, TState state, CancellationToken cancellationToken = default) =>
        Send(payloadLength, encode, state, mayHold: true, cancellationToken);

    /// <summary>Completes once every frame sent or written so far is handed to its channel's HTTP/2 connection.</summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        IGrpcPublisherConnection[] pool = _connections;
        return pool.Length switch
        {
            0 => throw new InvalidOperationException("the publisher is not connected (call ConnectAsync first)"),
            1 => pool[0].FlushAsync(cancellationToken),
            _ => FlushEachAsync(pool, cancellationToken),
        };
    }

    private ValueTask Send<TState>(int payloadLength, FrameEncoder<TState> encode, TState state, bool mayHold, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);
        ArgumentNullException.ThrowIfNull(encode);
        IGrpcPublisherConnection[] pool = _connections;
        if (pool.Length == 0)
        {
            throw new InvalidOperationException("the publisher is not connected (call ConnectAsync first)");
        }

        int index = _next;
        _next = index + 1 == pool.Length ? 0 : index + 1;
        return pool[index].SendAsync(payloadLength, encode, state, mayHold, cancellationToken);
    }

    /// <summary>Sends one frame holding a copy of <paramref name="payload"/> on the next channel.</summary>
    public ValueTask SendAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default) =>
        SendAsync(payload.Length, static (destination, payload) => CopyPayload(payload, destination), payload, cancellationToken);

    /// <summary>Ends every call, waits for the answers, closes the channels.</summary>
    public async ValueTask DisposeAsync()
    {
        IGrpcPublisherConnection[] closing = _connections;
        _connections = [];
        await Task.WhenAll(closing.Select(connection => connection.DisposeAsync().AsTask())).ConfigureAwait(false);
    }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask FlushEachAsync(IGrpcPublisherConnection[] pool, CancellationToken cancellationToken)
    {
        foreach (IGrpcPublisherConnection connection in pool)
        {
            await connection.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static int CopyPayload(ReadOnlyMemory<byte> payload, Span<byte> destination)
    {
        payload.Span.CopyTo(destination);
        return payload.Length;
    }
}
