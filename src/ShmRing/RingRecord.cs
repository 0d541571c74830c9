namespace ShmIpc.ShmRing;

/// <summary>
/// One record, read in place: <see cref="Payload"/> points straight into the mapped segment and stays valid until the
/// consumer releases it.
/// </summary>
public readonly ref struct RingRecord
{
    /// <summary>A record of <paramref name="payload"/> and <paramref name="type"/>.</summary>
    public RingRecord(ReadOnlySpan<byte> payload, int type)
    {
        Payload = payload;
        Type = type;
    }

    /// <summary>The payload, in place in the mapping: valid until the consumer releases the record.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>The producer's record type (any non-negative int; the ring does not interpret it).</summary>
    public int Type { get; }
}
