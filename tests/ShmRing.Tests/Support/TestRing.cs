namespace ShmIpc.ShmRing.Tests.Support;

/// <summary>Unique ring names per test, and the files behind them.</summary>
internal static class TestRing
{
    public static string UniqueName(string test) => $"test-{test}-{Environment.ProcessId}-{Guid.NewGuid():N}";

    public static string PathOf(string name) => $"/dev/shm/shmring.{name}";

    public static RingOptions Small(RingKind kind = RingKind.SingleProducer) => new()
    {
        Kind = kind,
        Capacity = 64 * 1024,
        MaxRecordSize = 4096,
        WaitStrategy = RingWaitStrategy.SpinThenYield,
        PeerCheckInterval = TimeSpan.FromMilliseconds(20),
    };
}
