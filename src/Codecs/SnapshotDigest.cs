namespace ShmIpc.Codecs;

/// <summary>
/// What a receiver learns from reading every field of a snapshot: the header values and a
/// checksum over every value (<see cref="SnapshotChecksum"/>). Equal snapshots give equal
/// digests in every codec, so the harness and tests compare codecs with it.
/// </summary>
/// <param name="Sequence">The snapshot's sequence number.</param>
/// <param name="SendTimestampNs">The sender's send timestamp, nanoseconds.</param>
/// <param name="InstrumentCount">Number of instruments read.</param>
/// <param name="Checksum">Order-sensitive checksum of the header and every instrument value.</param>
public readonly record struct SnapshotDigest(long Sequence, long SendTimestampNs, int InstrumentCount, ulong Checksum)
{
    /// <summary>The digest every codec must produce for <paramref name="snapshot"/> (reads the model).</summary>
    public static SnapshotDigest Of(MarketSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var checksum = new SnapshotChecksum();
        checksum.AddHeader(snapshot.Sequence, snapshot.SendTimestampNs, snapshot.InstrumentCount);
        checksum.Add(snapshot.Instruments);
        return new SnapshotDigest(snapshot.Sequence, snapshot.SendTimestampNs, snapshot.InstrumentCount, checksum.Value);
    }
}
