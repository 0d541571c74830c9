using ShmIpc.Codecs;
using ShmIpc.Harness.Protocol;
using ShmIpc.ShmRing;

namespace ShmIpc.Harness.Child.Transports;

/// <summary>
/// Sends snapshots through the shared-memory ring: claims space for the largest possible encoding,
/// encodes straight into the mapped slot, and commits the length written. No copy, no syscall. The same for the
/// broadcast ring (<see cref="TransportKind.SharedMemoryBroadcast"/>), whose producer creates the segment.
/// </summary>
internal sealed class ShmSnapshotSender : ISnapshotSender
{
    /// <summary>How long a send waits for the receiver to make room before it gives up.</summary>
    private static readonly TimeSpan FullRingTimeout = TimeSpan.FromSeconds(10);

    private readonly TransportKind _transport;
    private readonly RingProducer _producer;
    private readonly ISnapshotCodec _codec;
    private readonly int _maxEncodedLength;
    private readonly bool _pretouch;

    public ShmSnapshotSender(TransportKind transport, RingProducer producer, ISnapshotCodec codec, int instrumentCount, bool pretouch)
    {
        _pretouch = pretouch;
        _transport = transport;
        _producer = producer;
        _codec = codec;
        _maxEncodedLength = codec.GetMaxEncodedLength(instrumentCount);
    }

    /// <summary>Each message is committed (visible to the receiver) as it is written: nothing to batch.</summary>
    public void Send(MarketSnapshot snapshot, bool moreDue)
    {
        RingWriteStatus status = _producer.Claim(_maxEncodedLength, FullRingTimeout, out RingClaim claim);
        if (status != RingWriteStatus.Success)
        {
            throw new TransportFaultException(_transport, status == RingWriteStatus.PeerGone
                ? $"ring '{_producer.Name}': the receiver is gone"
                : $"ring '{_producer.Name}': still full after {FullRingTimeout.TotalSeconds:0} s");
        }
        using (claim) // an encoder that throws gives the claimed space back
        {
            claim.Commit(_codec.Encode(snapshot, claim.Destination));
        }
    }

    /// <summary>Pretouches the space of the next claim (RingProducer.Pretouch), if the receiver has released it and --shm-pretouch is on.</summary>
    public void PrepareForNext()
    {
        if (_pretouch)
        {
            _producer.Pretouch(_maxEncodedLength);
        }
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
