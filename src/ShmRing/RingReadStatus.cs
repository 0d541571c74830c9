namespace ShmIpc.ShmRing;

/// <summary>Outcome of a waiting read.</summary>
public enum RingReadStatus
{
    /// <summary>A record is available.</summary>
    Record,

    /// <summary>The timeout passed with the ring empty and the producer alive.</summary>
    TimedOut,

    /// <summary>The ring is empty and every producer that attached has exited or died (pid and start time checked).</summary>
    PeerGone,
}
