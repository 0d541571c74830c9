namespace ShmIpc.Harness.Protocol;

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
