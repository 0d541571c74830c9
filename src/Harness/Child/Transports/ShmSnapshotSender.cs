using ShmIpc.Codecs;
using ShmIpc.ShmRing;

namespace ShmIpc.Harness.Child.Transports;

/// <summary>
/// Sends snapshots through the shared-memory ring: claims space for the largest possible encoding,
/// encodes straight into the mapped slot, and commits the length written. No copy, no syscall.
/// </summary>
internal sealed class ShmSnapshotSender : ISnapshotSender
{
    /// <summary>How long a send waits for the receiver to make room before it gives up.</summary>
    private static readonly TimeSpan FullRingTimeout = TimeSpan.FromSeconds(10);

    private readonly RingProducer _producer;
    private readonly ISnapshotCodec _codec;
    private readonly int _maxEncodedLength;

    public ShmSnapshotSender(RingProducer producer, ISnapshotCodec codec, int instrumentCount)
    {
        _producer = producer;
        _codec = codec;
        _maxEncodedLength = codec.GetMaxEncodedLength(instrumentCount);
    }

    /// <summary>Each message is committed (visible to the receiver) as it is written: nothing to batch.</summary>
    public void Send(MarketSnapshot snapshot, bool moreDue)
    {
        RingWriteStatus status = _producer.Claim(_maxEncodedLength, FullRingTimeout, out Span<byte> slot);
        if (status != RingWriteStatus.Success)
        {
            throw new InvalidOperationException(status == RingWriteStatus.PeerGone
                ? $"ring '{_producer.Name}': the receiver is gone"
                : $"ring '{_producer.Name}': still full after {FullRingTimeout.TotalSeconds:0} s");
        }
        int written;
        try
        {
            written = _codec.Encode(snapshot, slot);
        }
        catch
        {
            // Give the claimed space back, or the next claim would find this one still open.
            _producer.Abort();
            throw;
        }
        _producer.Commit(written);
    }

    public void Flush()
    {
    }

    public ValueTask DisposeAsync()
    {
        _producer.Dispose();
        return ValueTask.CompletedTask;
    }
}
