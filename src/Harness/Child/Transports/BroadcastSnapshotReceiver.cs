using ShmIpc.Codecs;
using ShmIpc.ShmRing;
using ShmIpc.ShmRing.Broadcast;

namespace ShmIpc.Harness.Child.Transports;

/// <summary>
/// One consumer of the shm-broadcast ring, on one dedicated thread: joins the segment the sender created (from its
/// oldest record, so a consumer that joined before the start misses nothing), has the codec read every field in place,
/// then releases the record, and records the snapshot only if the release says it was intact until then (a lossy ring
/// may overwrite a record while it is read: that one counts as missed, and the run reports it lost).
/// </summary>
internal sealed class BroadcastSnapshotReceiver : ISnapshotReceiver
{
    private readonly BroadcastConsumer _consumer;
    private readonly SnapshotReceiveSink _sink;
    private readonly RingReceiveThread _thread;

    private BroadcastSnapshotReceiver(BroadcastConsumer consumer, SnapshotReceiveSink sink)
    {
        _consumer = consumer;
        _sink = sink;
        _thread = new RingReceiveThread("shm-broadcast", ReadOne);
    }

    /// <summary>Joins the broadcast ring <paramref name="segmentName"/> in a free consumer slot and starts reading it.</summary>
    public static ISnapshotReceiver Start(string segmentName, RingOptions options, SnapshotReceiveSink sink) =>
        new BroadcastSnapshotReceiver(BroadcastConsumer.Join(segmentName, options, BroadcastStart.Oldest), sink);

    public string Endpoint => _consumer.Name;

    public long TransportErrors => _thread.TransportErrors;

    public bool Failed => TransportErrors > 0;

    /// <summary>The ring's own count; read after <see cref="DisposeAsync"/> (the receive thread's field).</summary>
    public long MissedRecords { get; private set; }

    public ValueTask DisposeAsync()
    {
        _thread.Stop();
        MissedRecords = _consumer.MissedRecords;
        _consumer.Dispose();
        return ValueTask.CompletedTask;
    }

    private RingReadStatus ReadOne(TimeSpan timeout)
    {
        RingReadStatus status = _consumer.Read(out RingRecord record, timeout);
        if (status != RingReadStatus.Record)
        {
            return status;
        }

        int length = record.Payload.Length;
        bool read = _sink.TryRead(record.Payload, out SnapshotDigest digest);
        if (!_consumer.Release())
        {
            return status; // overwritten while read: what the codec saw may be torn; the consumer counts it missed
        }

        if (read)
        {
            _sink.Complete(digest, length);
        }
        else
        {
            _sink.CountContentError();
        }

        return status;
    }
}
