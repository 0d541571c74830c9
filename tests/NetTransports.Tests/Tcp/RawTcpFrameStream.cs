using System.Net;
using System.Net.Sockets;

namespace ShmIpc.NetTransports.Tests.Tcp;

/// <summary>A plain TCP socket writing arbitrary bytes into a <see cref="ShmIpc.NetTransports.Tcp.TcpFrameSubscriber"/>.</summary>
internal sealed class RawTcpFrameStream : IRawFrameStream
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };

    public static async Task<IRawFrameStream> OpenAsync(IPEndPoint endPoint)
    {
        var stream = new RawTcpFrameStream();
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
        // Linger on with a zero timeout: close() sends RST instead of FIN.
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
