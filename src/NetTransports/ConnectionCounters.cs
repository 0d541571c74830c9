namespace ShmIpc.NetTransports;

/// <summary>
/// One connection's frame, byte and read counts. Single writer (the connection's receive loop), so the hot
/// path is a plain increment on a line no other connection writes; readers (statistics, the
/// <see cref="ReceiveWatchdog"/>) use <see cref="Volatile"/> reads (64-bit loads are atomic on the 64-bit runtimes
/// we run on). No clock is read here: the watchdog samples these on its own timer.
/// </summary>
internal sealed class ConnectionCounters
{
    /// <summary><see cref="HeldWhileWaiting"/> while the loop is not waiting for bytes (parsing, or in the handler).</summary>
    public const long NotWaiting = -1;

    private long _frames;
    private long _payloadBytes;
    private long _reads;
    private long _heldWhileWaiting;

    public long Frames => Volatile.Read(ref _frames);

    public long PayloadBytes => Volatile.Read(ref _payloadBytes);

    /// <summary>Reads that returned bytes (or the end) so far.</summary>
    public long Reads => Volatile.Read(ref _reads);

    /// <summary>
    /// While a read is pending: the bytes of an incomplete frame held (0: waiting on a frame boundary);
    /// otherwise <see cref="NotWaiting"/>. Only a pending read can be timed out: a slow handler is not the peer's fault.
    /// </summary>
    public long HeldWhileWaiting => Volatile.Read(ref _heldWhileWaiting); // SYNC POINT acquire, partner: WaitingForBytes / ReadReturned's release stores

    /// <summary>The loop is about to wait for bytes, holding <paramref name="heldBytes"/> of an incomplete frame.</summary>
    public void WaitingForBytes(long heldBytes) => Volatile.Write(ref _heldWhileWaiting, heldBytes); // SYNC POINT release, partner: HeldWhileWaiting (the watchdog's timer)

    /// <summary>A read returned.</summary>
    public void ReadReturned()
    {
        // SYNC POINT release (both), partner: HeldWhileWaiting and Reads, read by the watchdog's timer.
        Volatile.Write(ref _heldWhileWaiting, NotWaiting);
        Volatile.Write(ref _reads, _reads + 1);
    }

    public void Add(long framePayloadBytes)
    {
        Volatile.Write(ref _frames, _frames + 1);
        Volatile.Write(ref _payloadBytes, _payloadBytes + framePayloadBytes);
    }
}
