namespace ShmIpc.ShmRing;

/// <summary>
/// One record, read in place: <see cref="Payload"/> points straight into the mapped segment and stays valid until the
/// consumer releases it.
/// </summary>
public readonly ref struct RingRecord
{
    public RingRecord(ReadOnlySpan<byte> payload, int type)
    {
        Payload = payload;
        Type = type;
    }

    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>The producer's record type (any non-negative int; the ring does not interpret it).</summary>
    public int Type { get; }
}
