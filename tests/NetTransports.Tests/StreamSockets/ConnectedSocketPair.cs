using System.Net;
using System.Net.Sockets;
using ShmIpc.NetTransports.Tests.UnixSockets;

namespace ShmIpc.NetTransports.Tests.StreamSockets;

/// <summary>
/// Two connected stream sockets, TCP over loopback or a Unix domain socket, made with blocking calls only (so neither
/// is in the runtime's epoll set unless a test puts it there), the sender's buffer small so a test can fill it.
/// </summary>
internal sealed class ConnectedSocketPair : IDisposable
{
    private readonly TestSocketDirectory? _directory;

    public ConnectedSocketPair(string family)
    {
        EndPoint endPoint;
        if (family == "tcp")
        {
            endPoint = new IPEndPoint(IPAddress.Loopback, 0);
        }
        else
        {
            _directory = new TestSocketDirectory();
            endPoint = _directory.NextEndPoint();
        }

        using var listener = new Socket(endPoint.AddressFamily, SocketType.Stream, family == "tcp" ? ProtocolType.Tcp : ProtocolType.Unspecified);
        listener.Bind(endPoint);
        listener.Listen(1);
        Sender = new Socket(endPoint.AddressFamily, SocketType.Stream, family == "tcp" ? ProtocolType.Tcp : ProtocolType.Unspecified) { SendBufferSize = 16 * 1024 };
        Sender.Connect(listener.LocalEndPoint!);
        Receiver = listener.Accept();
        Receiver.ReceiveBufferSize = 16 * 1024;
    }

    public Socket Sender { get; }

    public Socket Receiver { get; }

    /// <summary>More than the two sockets' buffers hold together, so a write of this many bytes waits for the reader.</summary>
    public static int MoreThanTheBuffersHold => 8 * 1024 * 1024;

    public void Dispose()
    {
        Sender.Dispose();
        Receiver.Dispose();
        _directory?.Dispose();
    }
}
