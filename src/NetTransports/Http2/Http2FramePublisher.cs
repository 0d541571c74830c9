using System.Net;

namespace ShmIpc.NetTransports.Http2;

/// <summary>
/// Sends length-prefixed frames to an <see cref="Http2FrameSubscriber"/> over a pool of HTTP/2 (h2c) connections,
/// round-robin: by default one endless streaming POST per connection, or one POST per frame
/// (<see cref="PublisherOptions.RequestPerMessage"/>). Not thread-safe: one sender at a time.
/// </summary>
public sealed class Http2FramePublisher : IFramePublisher
{
    private readonly Uri uri;
    private readonly PublisherOptions options;
    private FramePublisherPool<IHttp2PublisherConnection> pool = new([], 0);

    /// <summary>Creates a publisher for the subscriber at <paramref name="endPoint"/>; nothing connects until <see cref="ConnectAsync"/>.</summary>
    public Http2FramePublisher(IPEndPoint endPoint, PublisherOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        this.options = options ?? new PublisherOptions();
        this.options.Validate();
        uri = new Uri($"http://{endPoint}{Http2FrameSubscriber.Path}");
    }

    /// <inheritdoc />
    public int ConnectionCount => options.ConnectionCount;

    /// <inheritdoc />
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        if (pool.Connections.Length != 0)
        {
            throw new InvalidOperationException("the publisher is already connected");
        }

        var connecting = new IHttp2PublisherConnection[options.ConnectionCount];
        for (int index = 0; index < connecting.Length; index++)
        {
            connecting[index] = options.RequestPerMessage ? new Http2RequestPerMessageConnection(uri, index, options) : new Http2StreamingConnection(uri, index, options);
        }

        try
        {
            await Task.WhenAll(connecting.Select(connection => connection.ConnectAsync(cancellationToken))).ConfigureAwait(false);
        }
        catch
        {
            foreach (IHttp2PublisherConnection connection in connecting)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }

        pool = new FramePublisherPool<IHttp2PublisherConnection>(connecting, options.BatchBytes);
    }

    /// <inheritdoc />
    public ValueTask SendAsync<TState>(int maxPayloadLength, FrameEncoder<TState> encode, TState state, CancellationToken cancellationToken = default) =>
        pool.SendAsync(maxPayloadLength, encode, state, cancellationToken);

    /// <inheritdoc />
    public ValueTask WriteAsync<TState>(int maxPayloadLength, FrameEncoder<TState> encode, TState state, CancellationToken cancellationToken = default) =>
        pool.WriteAsync(maxPayloadLength, encode, state, cancellationToken);

    /// <inheritdoc />
    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => pool.FlushAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask SendAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default) => pool.SendCopyAsync(payload, cancellationToken);

    /// <summary>Ends every request body on a frame boundary, waits for the answers, closes the connections.</summary>
    public async ValueTask DisposeAsync() => await pool.CloseAsync().ConfigureAwait(false);
}
