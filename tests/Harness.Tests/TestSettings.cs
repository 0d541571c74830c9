using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Tests;

/// <summary>Run settings for tests, made the one way the harness makes them (<see cref="RunSettings.For"/>).</summary>
internal static class TestSettings
{
    public static RunOptions Options(double? messagesPerSecond = 1000, int connections = 1, ShmWaitStrategy shmWait = ShmWaitStrategy.Spin) => new(
        MessagesPerSecond: messagesPerSecond,
        Warmup: TimeSpan.FromSeconds(1),
        Duration: TimeSpan.FromSeconds(2),
        Connections: connections,
        BatchBytes: 64 * 1024,
        Codec: "raw",
        ShmWait: shmWait,
        Pin: null,
        SampleAllocationSources: false);

    public static RunSettings For(TransportKind transport, int payloadBytes = 16 * 1024, int connections = 1, ShmWaitStrategy shmWait = ShmWaitStrategy.Spin) =>
        RunSettings.For(transport, payloadBytes, Options(connections: connections, shmWait: shmWait));
}
