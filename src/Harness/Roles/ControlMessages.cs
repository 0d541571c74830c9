using ShmIpc.Harness.Measurement;

namespace ShmIpc.Harness.Roles;

/// <summary>A child's line to the parent: what happened (<see cref="Event"/>) and its details.</summary>
internal sealed record ControlEvent
{
    public const string Ready = "ready";
    public const string Sent = "sent";
    public const string Result = "result";
    public const string Error = "error";

    public required string Event { get; init; }

    /// <summary>With <see cref="Ready"/> from a receiver: where the sender connects (host:port or a segment name).</summary>
    public string? Endpoint { get; init; }

    public string? Message { get; init; }

    public SenderReport? Sender { get; init; }

    public ReceiverReport? Receiver { get; init; }
}

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

    public long SendLatenessMaxNanoseconds { get; init; }

    public double WindowSeconds { get; init; }

    /// <summary>
    /// Wall time spent inside the transport's send (encode + hand over) as a percentage of the window.
    /// The process CPU figure also includes the schedule's spin-wait between messages; this one does not.
    /// </summary>
    public double SendPathPercent { get; init; }

    public UsageOverWindow? Usage { get; init; }

    public bool Aborted { get; init; }
}

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

    public double WindowSeconds { get; init; }

    /// <summary>The latency histogram as (value, count) pairs of its recorded buckets.</summary>
    public required IReadOnlyList<long[]> Histogram { get; init; }

    /// <summary>The harness's own cost per message on the receiver: reading the clock and recording.</summary>
    public double RecordOverheadNanoseconds { get; init; }

    public UsageOverWindow? Usage { get; init; }

    public bool Aborted { get; init; }
}
