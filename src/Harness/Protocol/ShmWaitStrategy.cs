namespace ShmIpc.Harness.Protocol;

/// <summary>How the shm receiver waits for data (<c>--shm-wait</c>: spin, yield, block).</summary>
internal enum ShmWaitStrategy
{
    /// <summary>Spins on the ring: the lowest latency, and a core kept busy. The default.</summary>
    Spin = 0,

    /// <summary>Spins, then yields the CPU between checks.</summary>
    Yield,

    /// <summary>Spins briefly, then sleeps on a futex until the sender wakes it: burns no core.</summary>
    Block,
}
