using ShmIpc.Codecs;
using ShmIpc.Harness.Protocol;
using ShmIpc.ShmRing;

namespace ShmIpc.Harness.Child.Transports;

/// <summary>The ring every process of a shm run derives from the run settings (attach and join check that they agree).</summary>
internal static class ShmRingOptions
{
    /// <summary>
    /// 16 MiB: about a thousand 16 KB snapshots, 20 ms at 50,000 msg/s, so a consumer hiccup of
    /// a few milliseconds (this VM's stalls) is absorbed instead of pushing back on the sender.
    /// </summary>
    public const int CapacityBytes = 16 * 1024 * 1024;

    public static RingOptions For(RunSettings settings)
    {
        int maxRecord = SnapshotCodecs.Get(settings.Codec).GetMaxEncodedLength(settings.InstrumentCount);
        return new RingOptions
        {
            Kind = settings.Transport == TransportKind.SharedMemoryBroadcast ? RingKind.Broadcast : RingKind.SingleProducer,
            SlowConsumer = settings.BroadcastPolicy switch
            {
                BroadcastPolicy.Lossless => SlowConsumerPolicy.Lossless,
                BroadcastPolicy.Lossy => SlowConsumerPolicy.Lossy,
                _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.BroadcastPolicy, "not a broadcast policy"),
            },
            Capacity = Math.Max(CapacityBytes, (int)Math.Min(1 << 30, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)maxRecord * 8))),
            MaxRecordSize = maxRecord,
            WaitStrategy = settings.ShmWait switch
            {
                ShmWaitStrategy.Spin => RingWaitStrategy.BusySpin,
                ShmWaitStrategy.Yield => RingWaitStrategy.SpinThenYield,
                ShmWaitStrategy.Block => RingWaitStrategy.SpinThenBlock,
                _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.ShmWait, "not a shm wait strategy"),
            },
        };
    }
}
