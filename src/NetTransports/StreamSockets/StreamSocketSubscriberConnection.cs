using System.IO.Pipelines;
using System.Net.Sockets;

namespace ShmIpc.NetTransports.StreamSockets;

/// <summary>One accepted stream-socket connection (TCP, Unix domain socket): its socket, its pipe reader and its receive loop.</summary>
internal sealed class StreamSocketSubscriberConnection
{
    /// <summary>The name of a dedicated receive thread, whatever the socket family (at most 15 characters: the OS shows no more).</summary>
    public const string ReceiveThreadName = "frame-receive";

    // 64 KiB receive segments: four 16 KiB frames fit, so most frames arrive contiguous; one that straddles
    // two segments is handed on as a two-segment sequence.
    private const int ReceiveSegmentSize = 64 * 1024;

    private readonly Socket _socket;
    private readonly PipeReader _reader;
    private readonly FrameHandler _handler;
    private readonly SubscriberOptions _options;
    private readonly SubscriberStatisticsRegistry _registry;
    private readonly ConnectionCounters _counters;
    private readonly CancellationToken _stopping;
    private readonly string _description;
    private readonly Action<StreamSocketSubscriberConnection> _onClosed;
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly bool _dedicatedThread;
    private readonly IDisposable _watch;
    private volatile string? _timedOut;

    /// <summary>Starts receiving on an accepted <paramref name="socket"/>; <paramref name="onClosed"/> runs once it is closed.</summary>
    /// <param name="socket">The accepted connection, its family's options already set.</param>
    /// <param name="description">What log lines call this connection.</param>
    /// <param name="dedicatedThread">Whether this connection gets a thread blocked in recv() (the subscriber bounds how many do).</param>
    /// <param name="handler">Called with each frame's payload, in place.</param>
    /// <param name="options">The subscriber's limits (frame cap, timeouts).</param>
    /// <param name="registry">Where the connection's counters are kept.</param>
    /// <param name="watchdog">Closes the connection when a frame or an idle spell outlasts its timeout.</param>
    /// <param name="stopping">Cancelled when the subscriber stops.</param>
    /// <param name="onClosed">Called once, when the connection is closed.</param>
    public StreamSocketSubscriberConnection(Socket socket, string description, bool dedicatedThread, FrameHandler handler, SubscriberOptions options, SubscriberStatisticsRegistry registry, ReceiveWatchdog watchdog, CancellationToken stopping, Action<StreamSocketSubscriberConnection> onClosed)
    {
        _dedicatedThread = dedicatedThread;
        _socket = socket;
        _handler = handler;
        _options = options;
        _registry = registry;
        _stopping = stopping;
        _onClosed = onClosed;
        _description = description;
        Stream stream = dedicatedThread ? new BlockingReceiveStream(socket) : new NetworkStream(socket, ownsSocket: false);
        // Once every byte read is consumed (a frame a recv(), as at any rate the subscriber keeps up with), the pipe
        // returns its segments and the next recv() starts a fresh one: on a 64-byte boundary (ConnectionSegmentPool).
        _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(pool: new ConnectionSegmentPool(ReceiveSegmentSize), bufferSize: ReceiveSegmentSize, minimumReadSize: 4096, leaveOpen: false));
        _counters = registry.Register();
        _watch = watchdog.Watch(_counters, reason =>
        {
            _timedOut = reason; // SYNC POINT release (volatile), partner: the receive loop's reads of _timedOut after its read returned
            Abort();
        });
    }

    /// <summary>Completes when the receive loop has ended and the socket is closed.</summary>
    public Task Finished => _finished.Task;

    /// <summary>Whether this connection holds one of the subscriber's dedicated receive threads.</summary>
    public bool HasDedicatedThread => _dedicatedThread;

    public void Start()
    {
        if (_dedicatedThread)
        {
            // Every await in the loop completes synchronously over a BlockingReceiveStream, so it runs on this thread.
            var thread = new Thread(() => ReceiveAsync().GetAwaiter().GetResult())
            {
                IsBackground = true,
                Name = ReceiveThreadName,
            };
            thread.Start();
        }
        else
        {
            // Not called directly: until its first read has to wait, the loop would run on the caller's thread, and
            // the caller is the accept loop; a frame already waiting and a handler that blocks would stop accepts.
            _ = Task.Run(ReceiveAsync);
        }
    }

    /// <summary>Stops the receive loop: a blocked recv() returns 0, a pending async read completes.</summary>
    public void Abort()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already closed by the peer: the receive loop ends on its own.
        }
        catch (ObjectDisposedException)
        {
            // Already closed by the receive loop.
        }
    }

    private async Task ReceiveAsync()
    {
        bool failed = false;
        try
        {
            await FrameReceiveLoop.RunAsync(_reader, _handler, _options.MaxPayloadLength, _counters, CancellationToken.None).ConfigureAwait(false);
            if (_timedOut is string reason) // SYNC POINT acquire (volatile), partner: the watchdog's store before Abort()
            {
                // The watchdog shut an idle connection down on a frame boundary: the loop saw a clean end.
                failed = true;
                _options.Log($"{_description} closed: {reason}");
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception exception) when (_stopping.IsCancellationRequested && exception is IOException or SocketException or TransportException or ObjectDisposedException)
        {
            // The subscriber is stopping and shut this socket down under the loop: not the peer's fault.
        }
        catch (Exception exception) when (exception is TransportException or IOException or SocketException)
        {
            // A timed-out read ends as a stream cut mid-frame: name the timeout, the cause, not its symptom.
            failed = true;
            _options.Log($"{_description} closed: {_timedOut ?? exception.Message}");
        }
        finally
        {
            _watch.Dispose();
            await _reader.CompleteAsync().ConfigureAwait(false);
            _socket.Dispose();
            _registry.Retire(_counters, failed);
            _onClosed(this);
            _finished.TrySetResult();
        }
    }
}
