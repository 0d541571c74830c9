using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;

namespace ShmIpc.NetTransports.MessagePackTcp;

/// <summary>
/// One client TCP connection of a <see cref="TcpFramePublisher"/>: the frame is encoded straight into the
/// <see cref="PipeWriter"/>'s buffer and flushed on the sender's own thread (one send() per flush, no thread hop).
/// </summary>
internal sealed class TcpPublisherConnection : IFramePublisherConnection
{
    private readonly Socket socket;
    private readonly PipeWriter writer;
    private readonly string description;
    private bool broken;

    private TcpPublisherConnection(Socket socket, string description)
    {
        this.socket = socket;
        this.description = description;
        var stream = new NetworkStream(socket, ownsSocket: false);
        writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 64 * 1024, leaveOpen: false));
    }

    public static async Task<TcpPublisherConnection> ConnectAsync(IPEndPoint endPoint, int index, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(endPoint, timeoutSource.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TransportException($"tcp publisher connection {index} to {endPoint}: no answer within {timeout.TotalSeconds:0.#} s", exception);
        }
        catch (SocketException exception)
        {
            socket.Dispose();
            throw new TransportException($"tcp publisher connection {index} to {endPoint}: {exception.SocketErrorCode}: {exception.Message}", exception);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new TcpPublisherConnection(socket, $"tcp publisher connection {index} to {endPoint}");
    }

    public bool CanHoldFrames => true;

    public long Write<TState>(int maxPayloadLength, FrameEncoder<TState> encode, TState state)
    {
        ThrowIfBroken();
        return FrameWriter.Write(writer, maxPayloadLength, encode, state);
    }

    public ValueTask SendAsync<TState>(int maxPayloadLength, FrameEncoder<TState> encode, TState state, CancellationToken cancellationToken)
    {
        Write(maxPayloadLength, encode, state);
        return FlushAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!broken)
            {
                // Completing the writer flushes what is left; shutting down the send side sends FIN on a frame boundary.
                await writer.CompleteAsync().ConfigureAwait(false);
                socket.Shutdown(SocketShutdown.Send);
            }
        }
        catch (Exception exception) when (exception is IOException or SocketException)
        {
            // The subscriber is already gone; nothing left to deliver.
        }
        finally
        {
            socket.Dispose();
        }
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        ThrowIfBroken();
        ValueTask<FlushResult> flush;
        try
        {
            flush = writer.FlushAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or SocketException)
        {
            throw Broken(exception);
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
        broken = true;
        return new TransportException($"{description} failed (subscriber gone?): {exception.Message}", exception);
    }

    private void ThrowIfBroken()
    {
        if (broken)
        {
            throw new TransportException($"{description} is broken by an earlier failure");
        }
    }
}
