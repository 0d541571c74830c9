using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ShmIpc.NetTransports.Hosting;

namespace ShmIpc.NetTransports.Http2;

/// <summary>
/// Receives length-prefixed frames in HTTP/2 request bodies (h2c, Kestrel): POST <see cref="Path"/>, one endless
/// body per publisher connection (streaming mode) or one body per frame (request-per-message mode); the same code
/// reads both. Each payload is handed to the <see cref="FrameHandler"/> in place in the request body's
/// <see cref="System.IO.Pipelines.PipeReader"/> buffer. Kestrel's body buffers are 4 KiB blocks, so a 16 KiB frame
/// arrives as a multi-segment sequence; it is not copied here (a reader that needs one contiguous array, such as
/// the FlatBuffers runtime's byte[]-only ByteBuffer, makes that one copy itself).
/// Slow handler: the body pipe stops being read, the stream's HTTP/2 window closes and the sender waits; memory is
/// bounded by the windows. Bad input resets that request stream (HTTP/2's "close that connection") with one log line.
/// </summary>
public sealed class Http2FrameSubscriber : IFrameSubscriber
{
    /// <summary>The request path frames are posted to.</summary>
    public const string Path = "/frames";

    private readonly FrameHandler _handler;
    private readonly SubscriberOptions _options;
    private readonly SubscriberStatisticsRegistry _registry = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Http2ServerHost _host;
    private readonly ReceiveWatchdog _watchdog;
    private int _disposed;

    /// <summary>Creates a subscriber; nothing is bound until <see cref="StartAsync"/>.</summary>
    public Http2FrameSubscriber(FrameHandler handler, SubscriberOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _handler = handler;
        _options = options ?? new SubscriberOptions();
        _options.Validate();
        _watchdog = new ReceiveWatchdog(_options);
        _host = Http2ServerHost.Create("http2 frame subscriber", _options, static _ => { }, application => application.Run(ReceiveAsync));
    }

    /// <summary>The address actually bound (the ephemeral port filled in). Valid after <see cref="StartAsync"/>.</summary>
    public IPEndPoint EndPoint => _host.EndPoint as IPEndPoint ?? throw new InvalidOperationException("the subscriber is not started");

    EndPoint IFrameSubscriber.EndPoint => EndPoint;

    /// <inheritdoc />
    public TransportStatistics Statistics => _registry.Snapshot();

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return _host.StartAsync(_options.EndPoint, cancellationToken);
    }

    /// <summary>Ends every request loop, stops Kestrel and waits for it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _host.DisposeAsync().ConfigureAwait(false);
        _watchdog.Dispose();
        _stopping.Dispose();
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || context.Request.Path != Path)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        ConnectionCounters counters = _registry.Register();
        bool failed = false;
        string? timedOut = null;
        IDisposable watch = _watchdog.Watch(counters, reason =>
        {
            Volatile.Write(ref timedOut, reason); // SYNC POINT release, partner: the Volatile.Read in the catch below
            context.Abort();
        });
        try
        {
            await FrameReceiveLoop.RunAsync(context.Request.BodyReader, _handler, _options.MaxPayloadLength, counters, _stopping.Token).ConfigureAwait(false);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Shutting down: the stream is reset as the request ends unread.
        }
        catch (Exception exception) when (exception is TransportException or IOException or BadHttpRequestException or OperationCanceledException)
        {
            // Bad framing, a stream that ended mid-frame, or a client that reset the stream / dropped the connection.
            failed = true;
            _options.Log($"http2 frame subscriber {_host.EndPoint}: request stream from {context.Connection.RemoteIpAddress}:{context.Connection.RemotePort} closed: {Volatile.Read(ref timedOut) ?? exception.Message}"); // SYNC POINT acquire, partner: the watchdog callback's write
            context.Abort();
        }
        finally
        {
            watch.Dispose();
            _registry.Retire(counters, failed);
        }
    }
}
