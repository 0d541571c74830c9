using System.Net;
using System.Net.Sockets;
using ShmIpc.NetTransports.Http2;
using ShmIpc.NetTransports.StreamSockets;
using ShmIpc.NetTransports.Tcp;
using ShmIpc.NetTransports.UnixSockets;

namespace ShmIpc.NetTransports;

/// <summary>
/// Sends length-prefixed frames over a pool of connections, round-robin (<see cref="FramePublisherPool"/>), whichever
/// byte transport opened them: TCP (<see cref="CreateTcp"/>), a Unix domain socket (<see cref="CreateUnixSocket"/>) or
/// HTTP/2 (<see cref="CreateHttp2"/>). Each frame's payload
/// is encoded straight into the connection's send buffer on the caller's thread. Not thread-safe: one sender at a time.
/// </summary>
public sealed class FramePublisher : IFramePublisher
{
    private readonly PublisherOptions _options;
    private readonly FramePublisherConnectionFactory _connect;
    private FramePublisherPool _pool = new([], 0);

    private FramePublisher(PublisherOptions options, FramePublisherConnectionFactory connect)
    {
        _options = options;
        _connect = connect;
    }

    /// <inheritdoc />
    public int ConnectionCount => _options.ConnectionCount;

    /// <summary>
    /// A publisher to the <see cref="TcpFrameSubscriber"/> at <paramref name="endPoint"/> over TCP connections
    /// (TCP_NODELAY). A send waits only for room in the kernel's socket buffer (TCP flow control), never for delivery.
    /// Nothing connects until <see cref="ConnectAsync"/>.
    /// </summary>
    public static FramePublisher CreateTcp(IPEndPoint endPoint, PublisherOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        PublisherOptions validated = Validated(options);
        return new FramePublisher(validated, (index, cancellationToken) => StreamSocketPublisherConnection.ConnectAsync(endPoint, "tcp", index, validated.ConnectTimeout, cancellationToken));
    }

    /// <summary>
    /// A publisher to the <see cref="UnixSocketFrameSubscriber"/> at <paramref name="endPoint"/> over AF_UNIX stream
    /// connections: the same frames as <see cref="CreateTcp"/>. A send waits only for room in the kernel's socket buffer.
    /// Nothing connects until <see cref="ConnectAsync"/>.
    /// </summary>
    public static FramePublisher CreateUnixSocket(UnixDomainSocketEndPoint endPoint, PublisherOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        PublisherOptions validated = Validated(options);
        return new FramePublisher(validated, (index, cancellationToken) => StreamSocketPublisherConnection.ConnectAsync(endPoint, "uds", index, validated.ConnectTimeout, cancellationToken));
    }

    /// <summary>
    /// A publisher to the <see cref="Http2FrameSubscriber"/> at <paramref name="endPoint"/> over HTTP/2 (h2c) connections:
    /// by default one endless streaming POST per connection, or one POST per frame
    /// (<see cref="PublisherOptions.RequestPerMessage"/>). Nothing connects until <see cref="ConnectAsync"/>.
    /// </summary>
    public static FramePublisher CreateHttp2(IPEndPoint endPoint, PublisherOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        PublisherOptions validated = Validated(options);
        Uri uri = Http2ClientFactory.FramesUri(endPoint);
        return new FramePublisher(validated, (index, cancellationToken) => Http2ClientFactory.ConnectAsync(uri, index, validated, cancellationToken));
    }

    /// <inheritdoc />
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        if (_pool.Connections.Length != 0)
        {
            throw new InvalidOperationException("the publisher is already connected");
        }

        var pending = new Task<IFramePublisherConnection>[_options.ConnectionCount];
        for (int index = 0; index < pending.Length; index++)
        {
            pending[index] = _connect(index, cancellationToken);
        }

        try
        {
            await Task.WhenAll(pending).ConfigureAwait(false);
        }
        catch
        {
            foreach (Task<IFramePublisherConnection> task in pending)
            {
                if (task.IsCompletedSuccessfully)
                {
                    await task.Result.DisposeAsync().ConfigureAwait(false);
                }
            }

            // Task.WhenAll's exception is the first failure: a TransportException naming the connection and the address.
            throw;
        }

        _pool = new FramePublisherPool(Array.ConvertAll(pending, task => task.Result), _options.BatchBytes);
    }

    /// <inheritdoc />
    public ValueTask SendAsync<TState>(int maxPayloadLength, FrameEncoder<TState> encode, TState state, CancellationToken cancellationToken = default) =>
        _pool.SendAsync(maxPayloadLength, encode, state, cancellationToken);

    /// <inheritdoc />
    public ValueTask WriteAsync<TState>(int maxPayloadLength, FrameEncoder<TState> encode, TState state, CancellationToken cancellationToken = default) =>
        _pool.WriteAsync(maxPayloadLength, encode, state, cancellationToken);

    /// <inheritdoc />
    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => _pool.FlushAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask SendAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default) => _pool.SendCopyAsync(payload, cancellationToken);

    /// <summary>
    /// Flushes and closes every connection on a frame boundary, all at once (HTTP/2: ends every request body and waits
    /// for the answers). A connection whose subscriber read nothing for the connect timeout is reset instead, and then
    /// this throws <see cref="TransportException"/>.
    /// </summary>
    public async ValueTask DisposeAsync() => await _pool.CloseAsync().ConfigureAwait(false);

    private static PublisherOptions Validated(PublisherOptions? options)
    {
        PublisherOptions validated = options ?? new PublisherOptions();
        validated.Validate();
        return validated;
    }
}
