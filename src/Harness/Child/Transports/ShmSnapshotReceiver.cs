using ShmIpc.ShmRing;

namespace ShmIpc.Harness.Child.Transports;

/// <summary>
/// Receives snapshots from the shared-memory ring on one dedicated thread: the codec reads every
/// field straight from the mapped payload, then the record is released. The receiver creates the
/// segment (and unlinks it when disposed); the sender attaches by name.
/// </summary>
internal sealed class ShmSnapshotReceiver : ISnapshotReceiver
{
    /// <summary>How often an idle read comes up for air to see whether the receiver is being disposed.</summary>
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(100);

    private readonly RingConsumer _consumer;
    private readonly SnapshotReceiveSink _sink;
    private readonly Thread _thread;
    private volatile bool _stopping;
    private long _transportErrors;

    private ShmSnapshotReceiver(RingConsumer consumer, SnapshotReceiveSink sink)
    {
        _consumer = consumer;
        _sink = sink;
        _thread = new Thread(ReceiveLoop) { IsBackground = true, Name = "shm receive" };
        _thread.Start();
    }

    /// <summary>Creates the segment and starts reading it. The sink comes first: nothing can fail between creating the segment and owning it.</summary>
    public static ISnapshotReceiver Start(string segmentName, RingOptions options, SnapshotReceiveSink sink) =>
        new ShmSnapshotReceiver(RingConsumer.Create(segmentName, options), sink);

    public string Endpoint => _consumer.Name;

    public long TransportErrors => Interlocked.Read(ref _transportErrors);

    public bool Failed => TransportErrors > 0;

    public ValueTask DisposeAsync()
    {
        _stopping = true;
        _thread.Join();
        _consumer.Dispose();
        return ValueTask.CompletedTask;
    }

    private void ReceiveLoop()
    {
        while (!_stopping)
        {
            RingReadStatus status;
            try
            {
                status = _consumer.Read(out RingRecord record, PollTimeout);
                if (status == RingReadStatus.Record)
                {
                    _sink.OnPayload(record.Payload);
                    _consumer.Release();
                    continue;
                }
            }
            catch (RingException exception)
            {
                // A corrupt ring cannot be read further: count it and stop, the run reports it.
                Interlocked.Increment(ref _transportErrors);
                Console.Error.WriteLine($"shm receiver: {exception.Message}");
                return;
            }
            if (status == RingReadStatus.PeerGone)
            {
                return;
            }
        }
    }
}
