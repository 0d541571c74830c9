namespace ShmIpc.NetTransports;

/// <summary>
/// Sums per-connection counters into <see cref="TransportStatistics"/>. Connections register when
/// accepted and retire when closed (rare events, under a lock); the per-frame path touches only the
/// connection's own <see cref="ConnectionCounters"/>.
/// </summary>
internal sealed class SubscriberStatisticsRegistry
{
    private readonly Lock gate = new();
    private readonly HashSet<ConnectionCounters> open = [];
    private long retiredFrames;
    private long retiredPayloadBytes;
    private long accepted;
    private long errors;

    public ConnectionCounters Register()
    {
        var counters = new ConnectionCounters();
        lock (gate)
        {
            open.Add(counters);
            accepted++;
        }

        return counters;
    }

    public void Retire(ConnectionCounters counters, bool failed)
    {
        lock (gate)
        {
            if (open.Remove(counters))
            {
                retiredFrames += counters.Frames;
                retiredPayloadBytes += counters.PayloadBytes;
            }

            if (failed)
            {
                errors++;
            }
        }
    }

    public void CountError()
    {
        lock (gate)
        {
            errors++;
        }
    }

    public TransportStatistics Snapshot()
    {
        lock (gate)
        {
            long frames = retiredFrames;
            long payloadBytes = retiredPayloadBytes;
            foreach (ConnectionCounters counters in open)
            {
                frames += counters.Frames;
                payloadBytes += counters.PayloadBytes;
            }

            return new TransportStatistics(frames, payloadBytes, accepted, open.Count, errors);
        }
    }
}
