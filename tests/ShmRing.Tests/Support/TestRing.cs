namespace ShmIpc.ShmRing.Tests.Support;

/// <summary>Unique ring names per test, the files behind them, and writes into those files behind the ring's back.</summary>
internal static class TestRing
{
    public static string UniqueName(string test) => $"test-{test}-{Environment.ProcessId}-{Guid.NewGuid():N}";

    public static string PathOf(string name) => SegmentName.ToPath(name);

    public static RingOptions Small(RingKind kind = RingKind.SingleProducer) => new()
    {
        Kind = kind,
        Capacity = 64 * 1024,
        MaxRecordSize = 4096,
        WaitStrategy = RingWaitStrategy.SpinThenYield,
        PeerCheckInterval = TimeSpan.FromMilliseconds(20),
    };

    /// <summary>Overwrites the u32 at <paramref name="offset"/> of the ring's file (a peer corrupting the segment).</summary>
    public static void PokeUInt32(string name, long offset, uint value) => Poke(name, offset, BitConverter.GetBytes(value));

    /// <summary>Overwrites the u64 at <paramref name="offset"/> of the ring's file.</summary>
    public static void PokeUInt64(string name, long offset, ulong value) => Poke(name, offset, BitConverter.GetBytes(value));

    /// <summary>Runs truncate(1) on the ring's file: another process cutting it while peers have it mapped.</summary>
    public static void Truncate(string name, long length)
    {
        using var truncate = System.Diagnostics.Process.Start("truncate", ["-s", $"{length}", PathOf(name)])
            ?? throw new InvalidOperationException("cannot start truncate");
        truncate.WaitForExit();
        Assert.Equal(0, truncate.ExitCode);
    }

    private static void Poke(string name, long offset, byte[] bytes)
    {
        using var file = new FileStream(PathOf(name), FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        file.Position = offset;
        file.Write(bytes);
    }
}
