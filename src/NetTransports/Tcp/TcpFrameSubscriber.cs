using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace ShmIpc.NetTransports.Tcp;

/// <summary>
/// Receives length-prefixed frames over TCP (TCP_NODELAY) and hands each payload in place to a
/// <see cref="FrameHandler"/>, straight from the <see cref="System.IO.Pipelines.PipeReader"/>'s buffer.
/// Slow handler: the pipe stops reading, the kernel buffers fill and TCP flow control stalls the sender;
/// memory stays bounded. Bad input on one connection closes that connection only (one log line).
/// </summary>
public sealed class TcpFrameSubscriber : IFrameSubscriber
{
    /// <summary>Pause after an accept failure that is not one client's reset (out of descriptors, out of memory).</summary>
    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly FrameHandler _handler;
    private readonly SubscriberOptions _options;
    private readonly SubscriberStatisticsRegistry _registry = new();
    private readonly ConcurrentDictionary<TcpSubscriberConnection, byte> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ReceiveWatchdog _watchdog;
    private Socket? _listener;
    private IPEndPoint? _boundEndPoint;
    private Task _acceptLoop = Task.CompletedTask;
    private int _disposed;
    private int _dedicatedThreads;
    private bool _refusing;

    /// <summary>Creates a subscriber; nothing is bound until <see cref="StartAsync"/>.</summary>
    public TcpFrameSubscriber(FrameHandler handler, SubscriberOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _handler = handler;
        _options = options ?? new SubscriberOptions();
        _options.Validate();
        _watchdog = new ReceiveWatchdog(_options);
    }

    /// <inheritdoc />
    public IPEndPoint EndPoint => _boundEndPoint ?? throw new InvalidOperationException("the subscriber is not started");

    /// <inheritdoc />
    public TransportStatistics Statistics => _registry.Snapshot();

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_listener is not null)
        {
            throw new InvalidOperationException("the subscriber is already started");
        }

        var socket = new Socket(_options.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(_options.EndPoint);
            socket.Listen(1024);
        }
        catch (SocketException exception)
        {
            socket.Dispose();
            throw new TransportException($"tcp subscriber cannot listen on {_options.EndPoint}: {exception.SocketErrorCode}: {exception.Message}", exception);
        }

        _listener = socket;
        _boundEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _acceptLoop = AcceptAsync(socket);
        return Task.CompletedTask;
    }

    /// <summary>Stops accepting, closes every connection and waits for their receive loops to end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        foreach (TcpSubscriberConnection connection in _connections.Keys)
        {
            connection.Abort();
        }

        await Task.WhenAll(_connections.Keys.Select(connection => connection.Finished)).ConfigureAwait(false);
        _watchdog.Dispose();
        _stopping.Dispose();
    }

    private async Task AcceptAsync(Socket socket)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await socket.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (_stopping.IsCancellationRequested && exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException exception)
            {
                // A connection that failed between SYN and accept (reset by its client): keep listening. Anything else
                // (out of file descriptors, out of memory) would fail again at once: wait a little, rather than spin
                // and log in a tight loop.
                _registry.CountError();
                _options.Log($"tcp subscriber {_boundEndPoint}: accept failed: {exception.SocketErrorCode}: {exception.Message}");
                if (exception.SocketErrorCode is not (SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Interrupted)
                    && !await DelayUnlessStoppingAsync(AcceptRetryDelay).ConfigureAwait(false))
                {
                    return;
                }
                continue;
            }

            StartConnection(accepted);
        }
    }

    /// <summary>
    /// Serves one accepted socket. A failure to set it up (the client already reset it, no thread to be had) closes
    /// that socket and is logged; the accept loop goes on.
    /// </summary>
    private void StartConnection(Socket accepted)
    {
        // Only the accept loop adds connections, so the count cannot pass the cap between this check and the add.
        if (_connections.Count >= _options.MaxConnections)
        {
            Refuse(accepted);
            return;
        }

        _refusing = false;
        TcpSubscriberConnection? connection = null;
        bool dedicated = false;
        try
        {
            dedicated = _options.DedicatedReceiveThreads && TryTakeDedicatedThread();
            connection = new TcpSubscriberConnection(accepted, dedicated, _handler, _options, _registry, _watchdog, _stopping.Token, OnClosed);
            _connections.TryAdd(connection, 0);
            connection.Start();
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException or OutOfMemoryException or ThreadStartException)
        {
            _registry.CountError();
            _options.Log($"tcp subscriber {_boundEndPoint}: could not serve a new connection: {exception.Message}");
            if (connection is not null)
            {
                OnClosed(connection);
            }
            else if (dedicated)
            {
                Interlocked.Decrement(ref _dedicatedThreads);
            }
            accepted.Dispose();
        }
    }

    /// <summary>
    /// Closes a connection over <see cref="SubscriberOptions.MaxConnections"/> with RST (no lingering close state);
    /// one log line per run of refusals, not one per connection, so a flood of connects cannot flood the log.
    /// </summary>
    private void Refuse(Socket accepted)
    {
        _registry.CountError();
        if (!_refusing)
        {
            _refusing = true;
            _options.Log($"tcp subscriber {_boundEndPoint}: refusing connections: {_options.MaxConnections} open, the most allowed (SubscriberOptions.MaxConnections); further refusals are not logged until one is accepted again");
        }

        accepted.LingerState = new LingerOption(enable: true, seconds: 0);
        accepted.Dispose();
    }

    private bool TryTakeDedicatedThread()
    {
        // Only the accept loop takes threads; closing connections give them back from their own threads.
        if (Volatile.Read(ref _dedicatedThreads) >= _options.MaxDedicatedReceiveThreads)
        {
            return false;
        }

        Interlocked.Increment(ref _dedicatedThreads);
        return true;
    }

    private void OnClosed(TcpSubscriberConnection closed)
    {
        if (_connections.TryRemove(closed, out _) && closed.HasDedicatedThread)
        {
            Interlocked.Decrement(ref _dedicatedThreads);
        }
    }

    private async Task<bool> DelayUnlessStoppingAsync(TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _stopping.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
