namespace ShmIpc.Harness.Protocol;

/// <summary>What the receiver saw. Latency values are nanoseconds.</summary>
internal sealed record ReceiverReport
{
    public long Received { get; init; }

    public long ReceivedInWindow { get; init; }

    public long BytesInWindow { get; init; }

    public long Unique { get; init; }

    public long Duplicates { get; init; }

    public long OutOfRange { get; init; }

    public long ContentErrors { get; init; }

    public long TransportErrors { get; init; }

    /// <summary>What the transport itself counted as missed (a lossy shm-broadcast consumer); 0 for the others.</summary>
    public long MissedRecords { get; init; }

    public double WindowSeconds { get; init; }

    /// <summary>The latency histogram as (value, count) pairs of its recorded buckets.</summary>
    public required IReadOnlyList<long[]> Histogram { get; init; }

    /// <summary>The same latencies by interval of the window (<see cref="LatencyIntervals"/>), in order.</summary>
    public IReadOnlyList<IntervalHistogram> Intervals { get; init; } = [];

    /// <summary>The harness's own cost per message on the receiver: reading the clock and recording.</summary>
    public double RecordOverheadNanoseconds { get; init; }

    public UsageOverWindow? Usage { get; init; }

    /// <summary>What this child held before its transport was created (<see cref="ChildResources"/>).</summary>
    public ChildResources? ResourcesAtStart { get; init; }

    /// <summary>What it still held after its transport was disposed, just before this report.</summary>
    public ChildResources? ResourcesAtEnd { get; init; }

    public bool Aborted { get; init; }
}
