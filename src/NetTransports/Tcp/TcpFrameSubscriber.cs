using System.Net;
using System.Net.Sockets;
using ShmIpc.NetTransports.StreamSockets;

namespace ShmIpc.NetTransports.Tcp;

/// <summary>
/// Receives length-prefixed frames over TCP (TCP_NODELAY) and hands each payload in place to a
/// <see cref="FrameHandler"/>, straight from the <see cref="System.IO.Pipelines.PipeReader"/>'s buffer.
/// Slow handler: the pipe stops reading, the kernel buffers fill and TCP flow control stalls the sender;
/// memory stays bounded. Bad input on one connection closes that connection only (one log line).
/// </summary>
public sealed class TcpFrameSubscriber : IFrameSubscriber
{
    // TCP keepalive: a peer that vanished (host down, cable out) without FIN or RST is noticed after about
    // KeepAliveIdleSeconds + KeepAliveProbes * KeepAliveIntervalSeconds (one minute) instead of never.
    private const int KeepAliveIdleSeconds = 30;
    private const int KeepAliveIntervalSeconds = 10;
    private const int KeepAliveProbes = 3;

    private readonly FrameHandler _handler;
    private readonly SubscriberOptions _options;
    private readonly IPEndPoint _requested;
    private readonly SubscriberStatisticsRegistry _registry = new();
    private StreamSocketFrameServer? _server;
    private IPEndPoint? _boundEndPoint;
    private int _disposed;

    /// <summary>
    /// Creates a subscriber; nothing is bound until <see cref="StartAsync"/>. <see cref="SubscriberOptions.EndPoint"/>
    /// must be an <see cref="IPEndPoint"/> (a Unix domain socket is <see cref="UnixSockets.UnixSocketFrameSubscriber"/>'s).
    /// </summary>
    public TcpFrameSubscriber(FrameHandler handler, SubscriberOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _handler = handler;
        _options = options ?? new SubscriberOptions();
        _options.Validate();
        _requested = _options.EndPoint as IPEndPoint
            ?? throw new ArgumentException($"a TCP subscriber listens on an IP address and port, not {_options.EndPoint}", nameof(options));
    }

    /// <summary>The address actually bound (the ephemeral port filled in). Valid after <see cref="StartAsync"/>.</summary>
    public IPEndPoint EndPoint => _boundEndPoint ?? throw new InvalidOperationException("the subscriber is not started");

    EndPoint IFrameSubscriber.EndPoint => EndPoint;

    /// <inheritdoc />
    public TransportStatistics Statistics => _registry.Snapshot();

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_server is not null)
        {
            throw new InvalidOperationException("the subscriber is already started");
        }

        var socket = new Socket(_requested.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(_requested);
            socket.Listen(1024);
        }
        catch (SocketException exception)
        {
            socket.Dispose();
            throw new TransportException($"tcp subscriber cannot listen on {_requested}: {exception.SocketErrorCode}: {exception.Message}", exception);
        }

        _boundEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _server = new StreamSocketFrameServer(socket, $"tcp subscriber {_boundEndPoint}", ConfigureAccepted, _handler, _options, _registry);
        return Task.CompletedTask;
    }

    /// <summary>Stops accepting, closes every connection and waits for their receive loops to end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static void ConfigureAccepted(Socket accepted)
    {
        accepted.NoDelay = true;
        accepted.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        accepted.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, KeepAliveIdleSeconds);
        accepted.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, KeepAliveIntervalSeconds);
        accepted.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, KeepAliveProbes);
    }
}
