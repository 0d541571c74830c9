namespace ShmIpc.Harness.Protocol;

/// <summary>
/// What the user chose for every run of a command: the command line reads it once, and
/// <see cref="RunSettings.For"/> turns it into each run's settings. <see cref="Codec"/> is --codec, or null for
/// each transport's default (<see cref="RunSettings.CodecOf"/>).
/// </summary>
internal sealed record RunOptions(
    double? MessagesPerSecond,
    TimeSpan Warmup,
    TimeSpan Duration,
    int Connections,
    int BatchBytes,
    string? Codec,
    ShmWaitStrategy ShmWait,
    (int Sender, int Receiver)? Pin,
    bool SampleAllocationSources,
    TimeSpan InjectedSendDelay = default,
    TimeSpan InjectedReceiveDelay = default,
    int Consumers = 1,
    BroadcastPolicy BroadcastPolicy = BroadcastPolicy.Lossless,
    bool ShmPretouch = true);
