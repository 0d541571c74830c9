namespace ShmIpc.ShmRing;

/// <summary>A snapshot of one producer's or consumer's counters (since it was opened).</summary>
/// <param name="Messages">Records committed (producer) or released (consumer).</param>
/// <param name="Bytes">Payload bytes of those records.</param>
/// <param name="FullEvents">Times a producer found the ring full (a failed TryClaim, or a Claim that had to wait).</param>
/// <param name="SkippedRecords">Claims of dead MPSC producers the consumer skipped; for a broadcast consumer, the records it missed (lapped, or overwritten while it read them).</param>
/// <param name="PeerGoneEvents">Waits that ended because the peer had exited or died.</param>
public readonly record struct RingCounters(long Messages, long Bytes, long FullEvents, long SkippedRecords, long PeerGoneEvents);
