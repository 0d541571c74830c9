namespace ShmIpc.Harness.Protocol;

/// <summary>What the sender did. Times are CLOCK_MONOTONIC nanoseconds.</summary>
internal sealed record SenderReport
{
    /// <summary>Messages sent, warm-up included.</summary>
    public long Sent { get; init; }

    /// <summary>Messages actually sent during the measurement window: the schedule's achieved rate.</summary>
    public long SentInWindow { get; init; }

    /// <summary>Messages the schedule wanted sent that the sender never got to: it could not keep the rate.</summary>
    public long Unsent { get; init; }

    /// <summary>How late the sender started a send relative to its intended time (the schedule's own accuracy).</summary>
    public long SendLatenessP50Nanoseconds { get; init; }

    public long SendLatenessP99Nanoseconds { get; init; }

    /// <summary>The schedule's lateness by interval of the window (<see cref="LatencyIntervals"/>), in order.</summary>
    public IReadOnlyList<IntervalHistogram> LatenessIntervals { get; init; } = [];

    public double WindowSeconds { get; init; }

    /// <summary>
    /// Wall time spent inside the transport's send (encode + hand over) as a percentage of the window.
    /// The process CPU figure also includes the schedule's spin-wait between messages; this one does not.
    /// </summary>
    public double SendPathPercent { get; init; }

    public UsageOverWindow? Usage { get; init; }

    /// <summary>What this child held before its transport was created (<see cref="ChildResources"/>).</summary>
    public ChildResources? ResourcesAtStart { get; init; }

    /// <summary>What it still held after its transport was disposed, just before this report.</summary>
    public ChildResources? ResourcesAtEnd { get; init; }

    public bool Aborted { get; init; }

    /// <summary>The harness's own cost per sent message: stamping and recording the schedule's lateness.</summary>
    public double StampOverheadNanoseconds { get; init; }
}
