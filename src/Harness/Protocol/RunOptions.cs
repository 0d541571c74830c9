namespace ShmIpc.Harness.Protocol;

/// <summary>The options every run of a plan shares.</summary>
internal sealed record PlanOptions(
    double? MessagesPerSecond,
    TimeSpan Warmup,
    TimeSpan Duration,
    int Connections,
    string ShmCodec,
    string ShmWait,
    (int Sender, int Receiver)? Pin,
    int BatchBytes = 64 * 1024,
    bool SampleAllocationSources = false);
