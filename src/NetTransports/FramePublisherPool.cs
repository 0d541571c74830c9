namespace ShmIpc.NetTransports;

/// <summary>
/// The connections of a frame publisher, used round-robin, and the one holding frames written by
/// <see cref="IFramePublisher.WriteAsync{TState}"/>: a batch stays on one connection (its frames keep their order)
/// until it reaches <see cref="PublisherOptions.BatchBytes"/> or is flushed; the next batch or frame moves on.
/// Not thread-safe, like the publishers.
/// </summary>
internal sealed class FramePublisherPool(IFramePublisherConnection[] connections, int batchBytes)
{
    private IFramePublisherConnection[] _connections = connections;
    private IFramePublisherConnection? _holding;
    private int _next;

    public IFramePublisherConnection[] Connections => _connections;

    public ValueTask SendAsync<TState>(int maxPayloadLength, FrameEncoder<TState> encode, TState state, CancellationToken cancellationToken)
    {
        ThrowIfInvalid(maxPayloadLength, encode);
        IFramePublisherConnection connection = _holding ?? Next();
        _holding = null;
        return connection.SendAsync(maxPayloadLength, encode, state, cancellationToken);
    }

    public ValueTask WriteAsync<TState>(int maxPayloadLength, FrameEncoder<TState> encode, TState state, CancellationToken cancellationToken)
    {
        ThrowIfInvalid(maxPayloadLength, encode);
        IFramePublisherConnection connection = _holding ?? Next();
        if (!connection.CanHoldFrames)
        {
            return connection.SendAsync(maxPayloadLength, encode, state, cancellationToken);
        }

        long held = connection.Write(maxPayloadLength, encode, state);
        if (held < batchBytes)
        {
            _holding = connection;
            return default;
        }

        _holding = null;
        return connection.FlushAsync(cancellationToken);
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        IFramePublisherConnection? connection = _holding;
        _holding = null;
        return connection is null ? default : connection.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// Closes every connection at once (each flushes and ends on a frame boundary, or reports what it could not
    /// deliver) and leaves the pool empty, so a later send says the publisher is not connected.
    /// </summary>
    public Task CloseAsync()
    {
        IFramePublisherConnection[] closing = _connections;
        _connections = [];
        _holding = null;
        return Task.WhenAll(closing.Select(connection => connection.DisposeAsync().AsTask()));
    }

    /// <summary>Sends a copy of <paramref name="payload"/> as one frame.</summary>
    public ValueTask SendCopyAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        SendAsync(payload.Length, static (destination, source) => { source.Span.CopyTo(destination); return source.Length; }, payload, cancellationToken);

    private static void ThrowIfInvalid<TState>(int maxPayloadLength, FrameEncoder<TState> encode)
    {
        ArgumentNullException.ThrowIfNull(encode);
        ArgumentOutOfRangeException.ThrowIfNegative(maxPayloadLength);
    }

    private IFramePublisherConnection Next()
    {
        if (_connections.Length == 0)
        {
            throw new InvalidOperationException("the publisher is not connected (call ConnectAsync first)");
        }

        int index = _next;
        _next = index + 1 == _connections.Length ? 0 : index + 1;
        return _connections[index];
    }
}
