using System.Net;

namespace ShmIpc.NetTransports;

/// <summary>Settings for the receiving (server) side of every transport.</summary>
public sealed class SubscriberOptions
{
    /// <summary>Where to listen. Default 127.0.0.1 with an ephemeral port (read the bound one from the subscriber).</summary>
    public IPEndPoint EndPoint { get; set; } = new(IPAddress.Loopback, 0);

    /// <summary>Largest payload accepted, in bytes; a longer frame (or gRPC message) closes its connection. Default 4 MiB.</summary>
    public int MaxPayloadLength { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Where the one-line reports of bad input, dropped connections and server warnings go.
    /// Default: standard error (standard output is the harness's JSON channel).
    /// </summary>
    public Action<string> Log { get; set; } = static line => Console.Error.WriteLine(line);

    /// <summary>
    /// TCP only. True (default): each connection gets its own thread blocked in recv(), as the C socket floor does:
    /// one wake-up per message (measured here at 50k msg/s, 16 KiB: p50 1.1x the C floor). False: each connection's
    /// receive loop is an async loop on the thread pool, woken by the socket engine (the usual .NET server shape:
    /// no thread per connection, but two wake-ups per message: p50 ~5x the C floor in the same run).
    /// </summary>
    public bool DedicatedReceiveThreads { get; set; } = true;

    /// <summary>
    /// HTTP/2 and gRPC only: the size of the memory blocks the server reads its sockets into and queues request
    /// bodies in. Default 64 KiB (Kestrel's own is 4 KiB): fewer <c>recv()</c> calls per message and most 16 KiB
    /// frames in one piece, for ~128 KiB held per active streaming connection, kept until the server stops.
    /// 4 KiB to 1 MiB; 0 keeps Kestrel's pool.
    /// </summary>
    public int ServerBlockBytes { get; set; } = 64 * 1024;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(EndPoint);
        ArgumentNullException.ThrowIfNull(Log);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxPayloadLength);
        if (ServerBlockBytes != 0)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(ServerBlockBytes, 4096);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(ServerBlockBytes, 1024 * 1024);
        }
    }
}
