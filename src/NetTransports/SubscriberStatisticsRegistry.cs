namespace ShmIpc.NetTransports;

/// <summary>
/// Sums per-connection counters into <see cref="TransportStatistics"/>. Connections register when
/// accepted and retire when closed (rare events, under a lock); the per-frame path touches only the
/// connection's own <see cref="ConnectionCounters"/>.
/// </summary>
internal sealed class SubscriberStatisticsRegistry
{
    private readonly Lock _gate = new();
    private readonly HashSet<ConnectionCounters> _open = [];
    private long _retiredFrames;
    private long _retiredPayloadBytes;
    private long _accepted;
    private long _errors;

    public ConnectionCounters Register()
    {
        var counters = new ConnectionCounters();
        lock (_gate)
        {
            _open.Add(counters);
            _accepted++;
        }

        return counters;
    }

    public void Retire(ConnectionCounters counters, bool failed)
    {
        lock (_gate)
        {
            if (_open.Remove(counters))
            {
                _retiredFrames += counters.Frames;
                _retiredPayloadBytes += counters.PayloadBytes;
            }

            if (failed)
            {
                _errors++;
            }
        }
    }

    public void CountError()
    {
        lock (_gate)
        {
            _errors++;
        }
    }

    public TransportStatistics Snapshot()
    {
        lock (_gate)
        {
            long frames = _retiredFrames;
            long payloadBytes = _retiredPayloadBytes;
            foreach (ConnectionCounters counters in _open)
            {
                frames += counters.Frames;
                payloadBytes += counters.PayloadBytes;
            }

            return new TransportStatistics(frames, payloadBytes, _accepted, _open.Count, _errors);
        }
    }
}
