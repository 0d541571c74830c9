namespace ShmIpc.Harness.Protocol;

/// <summary>
/// What the user chose for every run of a command: the command line reads it once, and
/// <see cref="RunSettings.For"/> turns it into each run's settings.
/// </summary>
internal sealed record RunOptions(
    double? MessagesPerSecond,
    TimeSpan Warmup,
    TimeSpan Duration,
    int Connections,
    int BatchBytes,
    string ShmCodec,
    ShmWaitStrategy ShmWait,
    (int Sender, int Receiver)? Pin,
    bool SampleAllocationSources,
    TimeSpan InjectedSendDelay = default,
    TimeSpan InjectedReceiveDelay = default,
    int Consumers = 1,
    BroadcastPolicy BroadcastPolicy = BroadcastPolicy.Lossless);
