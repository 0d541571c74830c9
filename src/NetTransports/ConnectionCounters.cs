namespace ShmIpc.NetTransports;

/// <summary>
/// One connection's frame and byte counts. Single writer (the connection's receive loop), so the hot
/// path is a plain increment on a line no other connection writes; readers use <see cref="Volatile"/>
/// reads (64-bit loads are atomic on the 64-bit runtimes we run on).
/// </summary>
internal sealed class ConnectionCounters
{
    private long frames;
    private long payloadBytes;

    public long Frames => Volatile.Read(ref frames);

    public long PayloadBytes => Volatile.Read(ref payloadBytes);

    public void Add(long framePayloadBytes)
    {
        Volatile.Write(ref frames, frames + 1);
        Volatile.Write(ref payloadBytes, payloadBytes + framePayloadBytes);
    }
}
