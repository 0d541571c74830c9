using ShmIpc.Codecs;

namespace ShmIpc.Harness.Child.Transports;

/// <summary>
/// Checks that what arrived is what was sent: the receiver knows message n carries pool snapshot
/// n mod size, so it recomputes the expected digest from the model and compares checksums. The
/// check costs about as much as reading the snapshot again, so it runs on one message in
/// <see cref="SampleEvery"/>, after the receive time was taken (it never adds to a recorded latency).
/// Read-only on the pool: safe from several receive threads.
/// </summary>
internal sealed class ContentVerifier
{
    public const int SampleEvery = 64;

    private readonly SnapshotPool _pool;

    public ContentVerifier(SnapshotPool pool) => _pool = pool;

    /// <summary>True when the digest matches, or when this message is not one of the sampled ones.</summary>
    public bool Matches(in SnapshotDigest digest)
    {
        if (digest.Sequence < 0)
        {
            return false;
        }
        MarketSnapshot expected = _pool.For(digest.Sequence);
        if (digest.InstrumentCount != expected.InstrumentCount)
        {
            return false;
        }
        if (digest.Sequence % SampleEvery != 0)
        {
            return true;
        }
        var checksum = new SnapshotChecksum();
        checksum.AddHeader(digest.Sequence, digest.SendTimestampNs, expected.InstrumentCount);
        checksum.Add(expected.Instruments);
        return checksum.Value == digest.Checksum;
    }
}
