using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;

namespace ShmIpc.NetTransports.StreamSockets;

/// <summary>
/// One client stream-socket connection of a <see cref="FramePublisher"/> (<see cref="FramePublisher.CreateTcp"/>: TCP with
/// TCP_NODELAY; <see cref="FramePublisher.CreateUnixSocket"/>: a Unix domain socket): the frame is encoded straight into the
/// <see cref="PipeWriter"/>'s buffer and flushed on the sender's own thread (one send() per flush, no thread hop, the
/// socket never in the runtime's epoll set: <see cref="CallerThreadSendStream"/>).
/// </summary>
internal sealed class StreamSocketPublisherConnection : IFramePublisherConnection
{
    private readonly Socket _socket;
    private readonly CallerThreadSendStream _stream;
    private readonly PipeWriter _writer;
    private readonly string _description;
    private readonly TimeSpan _closeTimeout;
    private bool _broken;

    private StreamSocketPublisherConnection(Socket socket, string description, TimeSpan closeTimeout)
    {
        _socket = socket;
        _description = description;
        _closeTimeout = closeTimeout;
        _stream = new CallerThreadSendStream(socket);
        _writer = PipeWriter.Create(_stream, new StreamPipeWriterOptions(minimumBufferSize: 64 * 1024, leaveOpen: false));
    }

    /// <summary>Connects to <paramref name="endPoint"/>: an <see cref="IPEndPoint"/> over TCP, a <see cref="UnixDomainSocketEndPoint"/> over AF_UNIX.</summary>
    /// <param name="endPoint">The subscriber's address.</param>
    /// <param name="transport">What messages call the transport ("tcp", "uds").</param>
    /// <param name="index">The connection's place in the publisher's pool.</param>
    /// <param name="timeout">How long the connect (and, at the end, the last flush) may take.</param>
    /// <param name="cancellationToken">Cancels the connect.</param>
    public static async Task<IFramePublisherConnection> ConnectAsync(EndPoint endPoint, string transport, int index, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var socket = endPoint is IPEndPoint
            ? new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }
            : new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Unspecified);
        string description = $"{transport} publisher connection {index} to {endPoint}";
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(endPoint, timeoutSource.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TransportException($"{description}: no answer within {timeout.TotalSeconds:0.#} s", exception);
        }
        catch (SocketException exception)
        {
            socket.Dispose();
            throw new TransportException($"{description}: {exception.SocketErrorCode}: {exception.Message}", exception);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new StreamSocketPublisherConnection(socket, description, timeout);
    }

    public bool CanHoldFrames => true;

    public long Write<TState>(int maxPayloadLength, FrameEncoder<TState> encode, TState state)
    {
        ThrowIfBroken();
        return FrameWriter.Write(_writer, maxPayloadLength, encode, state);
    }

    public ValueTask SendAsync<TState>(int maxPayloadLength, FrameEncoder<TState> encode, TState state, CancellationToken cancellationToken)
    {
        Write(maxPayloadLength, encode, state);
        return FlushAsync(cancellationToken);
    }

    /// <summary>
    /// Sends what is held and closes on a frame boundary. A subscriber that reads nothing for the connect timeout
    /// (its window full) does not hold this forever: the connection is reset and <see cref="TransportException"/>
    /// says the last frames were not delivered.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        bool stalled = false;
        try
        {
            if (!_broken)
            {
                // Completing the writer flushes what is left (on this thread, waiting for send space until the deadline);
                // shutting down the send side sends FIN on a frame boundary.
                _stream.SetWaitDeadline(_closeTimeout);
                await _writer.CompleteAsync().ConfigureAwait(false);
                _socket.Shutdown(SocketShutdown.Send);
            }
        }
        catch (TimeoutException)
        {
            // Close with RST rather than FIN: the kernel drops the unsent tail instead of sending it after we are gone,
            // and the subscriber sees an aborted connection, not a clean end.
            stalled = true;
            _socket.LingerState = new LingerOption(enable: true, seconds: 0);
        }
        catch (Exception exception) when (exception is IOException or SocketException)
        {
            // The subscriber is already gone; nothing left to deliver.
        }
        finally
        {
            _socket.Dispose();
        }

        if (stalled)
        {
            throw new TransportException($"{_description}: the last frames were not delivered: the subscriber read nothing for {_closeTimeout.TotalSeconds:0.#} s, so the connection was reset");
        }
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        ThrowIfBroken();
        cancellationToken.ThrowIfCancellationRequested(); // before anything is written: the connection stays usable
        ValueTask<FlushResult> flush;
        try
        {
            flush = _writer.FlushAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or SocketException)
        {
            throw Broken(exception);
        }
        catch (OperationCanceledException)
        {
            MarkCutShort();
            throw;
        }

        if (flush.IsCompletedSuccessfully)
        {
            ThrowIfCanceled(flush.Result);
            return default;
        }

        return AwaitFlushAsync(flush);
    }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask AwaitFlushAsync(ValueTask<FlushResult> flush)
    {
        FlushResult result;
        try
        {
            result = await flush.ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or SocketException)
        {
            throw Broken(exception);
        }
        catch (OperationCanceledException)
        {
            MarkCutShort();
            throw;
        }

        ThrowIfCanceled(result);
    }

    private static void ThrowIfCanceled(FlushResult result)
    {
        if (result.IsCanceled)
        {
            throw new OperationCanceledException("the send was canceled");
        }
    }

    private TransportException Broken(Exception exception)
    {
        _broken = true;
        return new TransportException($"{_description} failed (subscriber gone?): {exception.Message}", exception);
    }

    /// <summary>
    /// A flush cancelled by its caller may have put part of a frame on the wire, and the pipe would send the rest (and
    /// what follows) later: the byte stream's frame boundaries are lost, so the connection takes no more frames.
    /// </summary>
    private void MarkCutShort() => _broken = true;

    private void ThrowIfBroken()
    {
        if (_broken)
        {
            throw new TransportException($"{_description} is broken by an earlier failure");
        }
    }
}
