using ShmIpc.Codecs;

namespace ShmIpc.Harness.Child.Transports;

/// <summary>The sender process's view of a transport: encode one snapshot and hand it over.</summary>
internal interface ISnapshotSender : IAsyncDisposable
{
    /// <summary>
    /// Encodes <paramref name="snapshot"/> (its sequence and intended send time already set) and
    /// sends it. Returns once the transport has taken it; blocks only when the transport applies
    /// backpressure, never to wait for delivery (the schedule is open loop). With
    /// <paramref name="moreDue"/> false the message is handed over at once; true says the next one
    /// is already due, and a transport that can batch (the frame transports, up to
    /// <c>--batch</c> bytes) may hold it to send with the next ones in one write.
    /// </summary>
    void Send(MarketSnapshot snapshot, bool moreDue);

    /// <summary>
    /// The next message is due a while from now and nothing is due before it: a transport may ready itself for it
    /// off the latency path (the ring writes into the space the next claim takes, so the claim does not fetch each of
    /// its cache lines while encoding). Called at most once between two sends; the sender does not wait on it.
    /// </summary>
    void PrepareForNext();

    /// <summary>Hands over anything <see cref="Send"/> held (at the end of a run).</summary>
    void Flush();
}
