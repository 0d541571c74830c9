using System.Net;

namespace ShmIpc.NetTransports.Tcp;

/// <summary>
/// Sends length-prefixed frames over a pool of TCP connections (TCP_NODELAY), round-robin. Each frame's payload is
/// encoded straight into the connection's <see cref="System.IO.Pipelines.PipeWriter"/> buffer and sent on the
/// caller's thread. A send waits only for room in the kernel's socket buffer (TCP flow control), never for delivery.
/// Not thread-safe: one sender at a time.
/// </summary>
public sealed class TcpFramePublisher : IFramePublisher
{
    private readonly IPEndPoint endPoint;
    private readonly PublisherOptions options;
    private FramePublisherPool<TcpPublisherConnection> pool = new([], 0);

    /// <summary>Creates a publisher for the subscriber at <paramref name="endPoint"/>; nothing connects until <see cref="ConnectAsync"/>.</summary>
    public TcpFramePublisher(IPEndPoint endPoint, PublisherOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        this.endPoint = endPoint;
        this.options = options ?? new PublisherOptions();
        this.options.Validate();
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

        var pending = new Task<TcpPublisherConnection>[options.ConnectionCount];
        for (int index = 0; index < pending.Length; index++)
        {
            pending[index] = TcpPublisherConnection.ConnectAsync(endPoint, index, options.ConnectTimeout, cancellationToken);
        }

        try
        {
            await Task.WhenAll(pending).ConfigureAwait(false);
        }
        catch
        {
            foreach (Task<TcpPublisherConnection> task in pending)
            {
                if (task.IsCompletedSuccessfully)
                {
                    await task.Result.DisposeAsync().ConfigureAwait(false);
                }
            }

            // Task.WhenAll's exception is the first failure: a TransportException naming the connection and the address.
            throw;
        }

        pool = new FramePublisherPool<TcpPublisherConnection>(Array.ConvertAll(pending, task => task.Result), options.BatchBytes);
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

    /// <summary>
    /// Flushes and closes every connection on a frame boundary, all at once. A connection whose subscriber read nothing
    /// for the connect timeout is reset instead, and then this throws <see cref="TransportException"/>.
    /// </summary>
    public async ValueTask DisposeAsync() => await pool.CloseAsync().ConfigureAwait(false);
}
