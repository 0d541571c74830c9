using System.Net;

namespace ShmIpc.NetTransports;

/// <summary>Settings for the receiving (server) side of every transport.</summary>
public sealed class SubscriberOptions
{
    /// <summary>
    /// Where to listen. Default 127.0.0.1 with an ephemeral port (read the bound one from the subscriber). TCP, HTTP/2
    /// and gRPC subscribers take an <see cref="IPEndPoint"/>; <see cref="UnixSockets.UnixSocketFrameSubscriber"/> a
    /// <see cref="System.Net.Sockets.UnixDomainSocketEndPoint"/> (<see cref="UnixSockets.UnixSocketPath"/> makes one).
    /// </summary>
    public EndPoint EndPoint { get; set; } = new IPEndPoint(IPAddress.Loopback, 0);

    /// <summary>The default of <see cref="MaxPayloadLength"/>: 4 MiB.</summary>
    public const int DefaultMaxPayloadLength = 4 * 1024 * 1024;

    /// <summary>
    /// Largest payload accepted, in bytes; a longer frame (or gRPC message) closes its connection (HTTP/2: stream). It
    /// is a bound on memory, not on the encoding: set it well above what the sender's own encoder writes, because other
    /// valid encodings of the same message are larger (wider integers, padding, fields in another order). Per
    /// connection (HTTP/2: per stream) the receiver buffers at most one incomplete frame, so this many bytes.
    /// Default <see cref="DefaultMaxPayloadLength"/>.
    /// </summary>
    public int MaxPayloadLength { get; set; } = DefaultMaxPayloadLength;

    /// <summary>
    /// Where the one-line reports of bad input, dropped connections and server warnings go.
    /// Default: standard error (standard output is the harness's JSON channel).
    /// </summary>
    public Action<string> Log { get; set; } = static line => Console.Error.WriteLine(line);

    /// <summary>
    /// TCP and Unix sockets. True (default): each connection gets its own thread blocked in recv(), as the C socket floor does:
    /// one wake-up per message. False: each connection's receive loop is an async loop on the thread pool, woken by
    /// the socket engine (the usual .NET server shape: no thread per connection, but two wake-ups per message). The
    /// latency each costs against the C floor is in docs/benchmarks.md.
    /// </summary>
    public bool DedicatedReceiveThreads { get; set; } = true;

    /// <summary>
    /// TCP and Unix sockets, with <see cref="DedicatedReceiveThreads"/>: at most this many connections at once get their own
    /// thread; the ones beyond run the async loop, so held connections cannot make the server start a thread each.
    /// Default: one per CPU (more threads blocked in recv() than CPUs only take turns on them).
    /// </summary>
    public int MaxDedicatedReceiveThreads { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Connections served at once (HTTP/2 and gRPC: Kestrel's MaxConcurrentConnections); one more is closed at once,
    /// with one log line per run of refusals. Default 4,096, the most a publisher opens
    /// (<see cref="PublisherOptions.ConnectionCount"/>).
    /// </summary>
    public int MaxConnections { get; set; } = 4096;

    /// <summary>
    /// TCP and HTTP/2 frames: a frame whose first bytes arrived must be complete within this time, or its connection
    /// (HTTP/2: stream) is closed with one log line: a peer that sends half a frame, or trickles one, cannot hold it.
    /// Judged only while the receiver waits for bytes (not while a slow handler holds it). Default 30 s;
    /// <see cref="Timeout.InfiniteTimeSpan"/> turns it off.
    /// </summary>
    public TimeSpan FrameReadTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// TCP and HTTP/2 frames: a connection (HTTP/2: stream) on which no byte arrives for this long, between frames, is
    /// closed with one log line. Default <see cref="Timeout.InfiniteTimeSpan"/> (off): a feed may go quiet for as long
    /// as the market does; a vanished peer is still noticed by TCP keepalive (TCP) or HTTP/2 pings.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = Timeout.InfiniteTimeSpan;

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
        ArgumentOutOfRangeException.ThrowIfNegative(MaxDedicatedReceiveThreads);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxConnections);
        ThrowUnlessPositiveOrInfinite(FrameReadTimeout, nameof(FrameReadTimeout));
        ThrowUnlessPositiveOrInfinite(IdleTimeout, nameof(IdleTimeout));
        if (ServerBlockBytes != 0)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(ServerBlockBytes, 4096);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(ServerBlockBytes, 1024 * 1024);
        }
    }

    private static void ThrowUnlessPositiveOrInfinite(TimeSpan value, string name)
    {
        if (value != Timeout.InfiniteTimeSpan && value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, "a timeout is positive, or Timeout.InfiniteTimeSpan for none");
        }
    }
}
