namespace ShmIpc.NetTransports;

/// <summary>Settings for the sending (client) side of every transport.</summary>
public sealed class PublisherOptions
{
    /// <summary>Connections to open and spread the load over, round-robin (1 to 4096; the seed article used 256). Default 1.</summary>
    public int ConnectionCount { get; set; } = 1;

    /// <summary>How long connecting may take before a <see cref="TransportException"/>. Default 5 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// HTTP/2 and gRPC only. False (default): one long-lived streaming request (gRPC: client-streaming call)
    /// per connection carries every message. True: one request (gRPC: unary call) per message.
    /// </summary>
    public bool RequestPerMessage { get; set; }

    /// <summary>
    /// HTTP/2 and gRPC request-per-message mode only: requests in flight per connection before a send waits
    /// for one to finish (bounds memory; Kestrel allows 100 streams per connection by default). Default 64.
    /// </summary>
    public int MaxRequestsInFlightPerConnection { get; set; } = 64;

    /// <summary>
    /// Frames <see cref="IFramePublisher.WriteAsync"/> may hold on a connection, in bytes, before it sends them together
    /// (one write to the socket or the HTTP/2 stream instead of one per frame): for a sender that knows more frames are
    /// already due (behind its schedule, or flat out). 0: every frame is sent at once. <see cref="IFramePublisher.SendAsync"/>
    /// always sends at once, with whatever is held. Default 64 KiB: on loopback TCP larger sends move more bytes per
    /// second than 16 KiB ones (docs/benchmarks.md).
    /// </summary>
    public int BatchBytes { get; set; } = 64 * 1024;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(BatchBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ConnectionCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ConnectionCount, 4096);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ConnectTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxRequestsInFlightPerConnection);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxRequestsInFlightPerConnection, 100);
    }
}
