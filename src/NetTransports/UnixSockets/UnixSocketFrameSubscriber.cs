using System.Net;
using System.Net.Sockets;
using ShmIpc.NetTransports.StreamSockets;

namespace ShmIpc.NetTransports.UnixSockets;

/// <summary>
/// Receives the same length-prefixed frames as <see cref="Tcp.TcpFrameSubscriber"/>, over AF_UNIX stream sockets, and
/// hands each payload in place to a <see cref="FrameHandler"/>: the same receive loops, limits and faults, minus
/// TCP's options (no Nagle to turn off; a local peer that dies is always seen closing, so no keepalive). The socket
/// file follows <see cref="UnixSocketPath"/>'s rule: a stale one is reclaimed, a live one refused, and it is removed
/// on dispose.
/// </summary>
public sealed class UnixSocketFrameSubscriber : IFrameSubscriber
{
    private const string Name = "uds subscriber";

    private readonly FrameHandler _handler;
    private readonly SubscriberOptions _options;
    private readonly UnixDomainSocketEndPoint _requested;
    private readonly SubscriberStatisticsRegistry _registry = new();
    private StreamSocketFrameServer? _server;
    private UnixSocketFile? _file;
    private int _disposed;

    /// <summary>
    /// Creates a subscriber; nothing is bound until <see cref="StartAsync"/>. <see cref="SubscriberOptions.EndPoint"/>
    /// must be a <see cref="UnixDomainSocketEndPoint"/> (<see cref="UnixSocketPath"/> makes one).
    /// </summary>
    public UnixSocketFrameSubscriber(FrameHandler handler, SubscriberOptions options)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _handler = handler;
        _options = options;
        _requested = options.EndPoint as UnixDomainSocketEndPoint
            ?? throw new ArgumentException($"a Unix socket subscriber listens on a socket path (UnixSocketPath.ToEndPoint), not {options.EndPoint}", nameof(options));
    }

    /// <summary>The socket listened on. Valid after <see cref="StartAsync"/>.</summary>
    public UnixDomainSocketEndPoint EndPoint => _file is not null ? _requested : throw new InvalidOperationException("the subscriber is not started");

    EndPoint IFrameSubscriber.EndPoint => EndPoint;

    /// <inheritdoc />
    public TransportStatistics Statistics => _registry.Snapshot();

    /// <summary>
    /// Binds and starts accepting. Throws <see cref="TransportException"/> if the path breaks <see cref="UnixSocketPath"/>'s
    /// rule, a subscriber already listens there, or the socket cannot be bound.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_server is not null)
        {
            throw new InvalidOperationException("the subscriber is already started");
        }

        UnixSocketFile file = UnixSocketFile.Claim(_requested.ToString(), Name, _options.Log);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(_requested);
            file.Bound();
            socket.Listen(1024);
        }
        catch (SocketException exception)
        {
            socket.Dispose();
            file.Dispose();
            throw new TransportException($"{Name} cannot listen on {file.Path}: {exception.SocketErrorCode}: {exception.Message}", exception);
        }

        _file = file;
        _server = new StreamSocketFrameServer(socket, $"{Name} {file.Path}", static _ => { }, _handler, _options, _registry);
        return Task.CompletedTask;
    }

    /// <summary>Removes the socket file, stops accepting, closes every connection and waits for their receive loops to end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // The file goes first: no moment in which it is there with nothing listening (a stale file for the next one).
        _file?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
