namespace ShmIpc.NetTransports;

/// <summary>
/// The sending (client) side of a byte-frame transport: a pool of connections used round-robin.
/// Not thread-safe: one sender at a time (like a <see cref="System.IO.Pipelines.PipeWriter"/>), and each
/// send must complete before the next starts. A send completes once the frame is handed to the transport
/// (kernel socket buffer / HTTP/2 connection), waiting only for buffer space or flow-control credit,
/// never for delivery. Over TCP and Unix domain sockets that wait is on the caller's thread (a send() that completes
/// synchronously, poll(2) while the socket's buffer is full), so the socket stays out of the runtime's epoll set and a
/// send costs one syscall; over HTTP/2 and gRPC it is asynchronous. Failures (peer gone, refused) throw
/// <see cref="TransportException"/>.
/// </summary>
public interface IFramePublisher : IAsyncDisposable
{
    /// <summary>Connections in the pool.</summary>
    int ConnectionCount { get; }

    /// <summary>Opens every connection; throws <see cref="TransportException"/> when refused or after the connect timeout.</summary>
    Task ConnectAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends one frame on the next connection (or, after <see cref="WriteAsync{TState}"/>, on the connection holding
    /// frames, sending them first): <paramref name="encode"/> writes at most <paramref name="maxPayloadLength"/> bytes
    /// straight into the transport's buffer and returns how many it wrote.
    /// </summary>
    ValueTask SendAsync<TState>(int maxPayloadLength, FrameEncoder<TState> encode, TState state, CancellationToken cancellationToken = default);

    /// <summary>
    /// As <see cref="SendAsync{TState}"/>, but the frame may be held in the connection's buffer, to go out with the
    /// next frames in one write, until <see cref="PublisherOptions.BatchBytes"/> are held, the next
    /// <see cref="SendAsync{TState}"/> or <see cref="FlushAsync"/>. For a sender that knows more frames are due now;
    /// frames keep their order. (HTTP/2 request-per-message sends every frame at once.)
    /// </summary>
    ValueTask WriteAsync<TState>(int maxPayloadLength, FrameEncoder<TState> encode, TState state, CancellationToken cancellationToken = default);

    /// <summary>Sends the frames <see cref="WriteAsync{TState}"/> holds, if any.</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken = default);

    /// <summary>Sends one frame holding a copy of <paramref name="payload"/> on the next connection.</summary>
    ValueTask SendAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default);
}
