using System.Collections.Concurrent;
using System.Net.Sockets;

namespace ShmIpc.NetTransports.StreamSockets;

/// <summary>
/// What a frame subscriber over stream sockets does once its listening socket is bound, whatever the socket family
/// (TCP, a Unix domain socket): accept connections up to <see cref="SubscriberOptions.MaxConnections"/>, give up to
/// <see cref="SubscriberOptions.MaxDedicatedReceiveThreads"/> of them a thread blocked in recv(), run each one's
/// receive loop, and on dispose close them all and wait for the loops to end. Slow handler: the pipe stops reading,
/// the kernel buffers fill and the sender stalls; memory stays bounded. Bad input on one connection closes that
/// connection only (one log line).
/// </summary>
internal sealed class StreamSocketFrameServer : IAsyncDisposable
{
    /// <summary>Pause after an accept failure that is not one client's reset (out of descriptors, out of memory).</summary>
    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly Socket _listener;
    private readonly string _name;
    private readonly Action<Socket> _configureAccepted;
    private readonly FrameHandler _handler;
    private readonly SubscriberOptions _options;
    private readonly SubscriberStatisticsRegistry _registry;
    private readonly ConcurrentDictionary<StreamSocketSubscriberConnection, byte> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ReceiveWatchdog _watchdog;
    private readonly Task _acceptLoop;
    private int _dedicatedThreads;
    private bool _refusing;

    /// <summary>Starts accepting on <paramref name="listener"/> (bound and listening; this server owns it from now on).</summary>
    /// <param name="listener">The bound, listening socket.</param>
    /// <param name="name">What log lines call this server ("tcp subscriber 127.0.0.1:7000").</param>
    /// <param name="configureAccepted">The socket family's options for each accepted socket (TCP: TCP_NODELAY, keepalive).</param>
    /// <param name="handler">Called with each frame's payload, in place.</param>
    /// <param name="options">The subscriber's limits.</param>
    /// <param name="registry">Where the connections' counters are kept.</param>
    public StreamSocketFrameServer(Socket listener, string name, Action<Socket> configureAccepted, FrameHandler handler, SubscriberOptions options, SubscriberStatisticsRegistry registry)
    {
        _listener = listener;
        _name = name;
        _configureAccepted = configureAccepted;
        _handler = handler;
        _options = options;
        _registry = registry;
        _watchdog = new ReceiveWatchdog(options);
        _acceptLoop = AcceptAsync();
    }

    /// <summary>Stops accepting, closes every connection and waits for their receive loops to end.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        foreach (StreamSocketSubscriberConnection connection in _connections.Keys)
        {
            connection.Abort();
        }

        await Task.WhenAll(_connections.Keys.Select(connection => connection.Finished)).ConfigureAwait(false);
        _watchdog.Dispose();
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await _listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
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
                _options.Log($"{_name}: accept failed: {exception.SocketErrorCode}: {exception.Message}");
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
        StreamSocketSubscriberConnection? connection = null;
        bool dedicated = false;
        try
        {
            _configureAccepted(accepted);
            dedicated = _options.DedicatedReceiveThreads && TryTakeDedicatedThread();
            connection = new StreamSocketSubscriberConnection(accepted, $"{_name}: connection from {accepted.RemoteEndPoint}", dedicated, _handler, _options, _registry, _watchdog, _stopping.Token, OnClosed);
            _connections.TryAdd(connection, 0);
            connection.Start();
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException or OutOfMemoryException or ThreadStartException)
        {
            _registry.CountError();
            _options.Log($"{_name}: could not serve a new connection: {exception.Message}");
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
            _options.Log($"{_name}: refusing connections: {_options.MaxConnections} open, the most allowed (SubscriberOptions.MaxConnections); further refusals are not logged until one is accepted again");
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

    private void OnClosed(StreamSocketSubscriberConnection closed)
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
