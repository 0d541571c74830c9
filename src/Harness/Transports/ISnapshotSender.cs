using ShmIpc.Codecs;

namespace ShmIpc.Harness.Transports;

/// <summary>The sender process's view of a transport: encode one snapshot and hand it over.</summary>
internal interface ISnapshotSender : IAsyncDisposable
{
    /// <summary>
    /// Encodes <paramref name="snapshot"/> (its sequence and intended send time already set) and
    /// sends it. Returns once the transport has taken it; blocks only when the transport applies
    /// backpressure, never to wait for delivery (the schedule is open loop). Nothing is held back
    /// in a buffer afterwards: each transport hands every message over as it is sent.
    /// </summary>
    void Send(MarketSnapshot snapshot);
}
