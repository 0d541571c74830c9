using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>The options the comparison ran with, as the user gave them (after defaults).</summary>
internal sealed record ComparisonConfig(
    IReadOnlyList<TransportKind> Transports,
    IReadOnlyList<int> PayloadBytes,
    double? OfferedMsgPerSec,
    double WarmupSeconds,
    double DurationSeconds,
    int Connections,
    int BatchBytes,
    string ShmCodec,
    ShmWaitStrategy ShmWait,
    int Runs,
    string Pin,
    string Clock)
{
    /// <summary>Whether each process sampled which types it allocated (<c>--alloc-sources</c>).</summary>
    public bool AllocationSources { get; init; }

    /// <summary>Receiver processes of the shm-broadcast transport (<c>--consumers</c>).</summary>
    public int Consumers { get; init; } = 1;

    /// <summary>Whether the shm senders pretouched their next claim's space (<c>--shm-pretouch</c>).</summary>
    public bool ShmPretouch { get; init; } = true;

    /// <summary>The shm-broadcast sender's slow-consumer policy (<c>--broadcast-policy</c>).</summary>
    public BroadcastPolicy BroadcastPolicy { get; init; }
}
