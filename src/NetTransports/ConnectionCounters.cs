namespace ShmIpc.NetTransports;

/// <summary>
/// One connection's frame and byte counts. Single writer (the connection's receive loop), so the hot
/// path is a plain increment on a line no other connection writes; readers use <see cref="Volatile"/>
/// reads (64-bit loads are atomic on the 64-bit runtimes we run on).
/// </summary>
internal sealed class ConnectionCounters
{
    private long _frames;
    private long _payloadBytes;

    public long Frames => Volatile.Read(ref _frames);

    public long PayloadBytes => Volatile.Read(ref _payloadBytes);

    public void Add(long framePayloadBytes)
    {
        Volatile.Write(ref _frames, _frames + 1);
        Volatile.Write(ref _payloadBytes, _payloadBytes + framePayloadBytes);
    }
}
