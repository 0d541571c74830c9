namespace ShmIpc.ShmRing;

/// <summary>Outcome of a waiting claim or write.</summary>
public enum RingWriteStatus
{
    /// <summary>Space was claimed (or the record written).</summary>
    Success,

    /// <summary>The ring stayed full until the timeout; nothing was written or overwritten.</summary>
    TimedOut,

    /// <summary>The ring is full and the consumer has exited or died (pid and start time checked).</summary>
    PeerGone,
}
