using System.Net;
using System.Net.Sockets;

namespace ShmIpc.TestSupport;

/// <summary>Loopback ports for tests that need one nobody listens on.</summary>
public static class LoopbackPorts
{
    /// <summary>A loopback end point the kernel just handed out and released: free now, though nothing reserves it.</summary>
    public static IPEndPoint Unused()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return (IPEndPoint)probe.LocalEndPoint!;
    }
}
