using ShmIpc.ShmRing;

namespace ShmIpc.Harness.Child.Transports;

/// <summary>
/// Receives snapshots from the shared-memory ring on one dedicated thread: the codec reads every
/// field straight from the mapped payload, then the record is released. The receiver creates the
/// segment (and unlinks it when disposed); the sender attaches by name.
/// </summary>
internal sealed class ShmSnapshotReceiver : ISnapshotReceiver
{
    private readonly RingConsumer _consumer;
    private readonly SnapshotReceiveSink _sink;
    private readonly RingReceiveThread _thread;

    private ShmSnapshotReceiver(RingConsumer consumer, SnapshotReceiveSink sink)
    {
        _consumer = consumer;
        _sink = sink;
        _thread = new RingReceiveThread("shm", ReadOne);
    }

    /// <summary>Creates the segment and starts reading it. The sink comes first: nothing can fail between creating the segment and owning it.</summary>
    public static ISnapshotReceiver Start(string segmentName, RingOptions options, SnapshotReceiveSink sink) =>
        new ShmSnapshotReceiver(RingConsumer.Create(segmentName, options), sink);

    public string Endpoint => _consumer.Name;

    public long TransportErrors => _thread.TransportErrors;

    public bool Failed => TransportErrors > 0;

    public ValueTask DisposeAsync()
    {
        _thread.Stop();
        _consumer.Dispose();
        return ValueTask.CompletedTask;
    }

    private RingReadStatus ReadOne(TimeSpan timeout)
    {
        RingReadStatus status = _consumer.Read(out RingRecord record, timeout);
        if (status == RingReadStatus.Record)
        {
            _sink.OnPayload(record.Payload);
            _consumer.Release();
        }

        return status;
    }
}
