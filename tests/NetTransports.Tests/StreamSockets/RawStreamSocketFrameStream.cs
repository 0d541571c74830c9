using System.Net;
using System.Net.Sockets;

namespace ShmIpc.NetTransports.Tests.StreamSockets;

/// <summary>
/// A plain stream socket writing arbitrary bytes into a <see cref="ShmIpc.NetTransports.Tcp.TcpFrameSubscriber"/> (TCP,
/// TCP_NODELAY) or a <see cref="ShmIpc.NetTransports.UnixSockets.UnixSocketFrameSubscriber"/> (AF_UNIX), by the end point's family.
/// </summary>
internal sealed class RawStreamSocketFrameStream : IRawFrameStream
{
    private readonly Socket _socket;

    private RawStreamSocketFrameStream(EndPoint endPoint) =>
        _socket = endPoint is IPEndPoint
            ? new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }
            : new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Unspecified);

    public static async Task<IRawFrameStream> OpenAsync(EndPoint endPoint)
    {
        var stream = new RawStreamSocketFrameStream(endPoint);
        await stream._socket.ConnectAsync(endPoint);
        return stream;
    }

    public async Task WriteAsync(byte[] bytes) => await _socket.SendAsync(bytes);

    public Task EndAsync()
    {
        _socket.Shutdown(SocketShutdown.Send);
        return Task.CompletedTask;
    }

    public void Abort()
    {
        // Linger on with a zero timeout: close() sends RST instead of FIN (AF_UNIX: the peer sees ECONNRESET all the same
        // when unread bytes are dropped).
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    public async Task WaitUntilClosedBySubscriberAsync(TimeSpan timeout)
    {
        byte[] buffer = new byte[256];
        using var patience = new CancellationTokenSource(timeout);
        try
        {
            // The subscriber never writes: the receive ends with 0 bytes (its FIN) or a reset.
            while (await _socket.ReceiveAsync(buffer, SocketFlags.None, patience.Token) > 0)
            {
            }
        }
        catch (SocketException)
        {
            // Reset by the subscriber (it closed with our bytes unread): closed as well.
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the subscriber did not close the connection within {timeout.TotalSeconds} s");
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
