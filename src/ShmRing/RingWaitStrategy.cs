namespace ShmIpc.ShmRing;

/// <summary>How a consumer waits for the next record (and a producer for space).</summary>
public enum RingWaitStrategy
{
    /// <summary>Poll without pause: lowest latency, burns a core.</summary>
    BusySpin,

    /// <summary>Poll for <see cref="RingOptions.SpinDuration"/>, then yield the CPU between polls.</summary>
    SpinThenYield,

    /// <summary>
    /// Poll for <see cref="RingOptions.SpinDuration"/>, then sleep on a futex the producer wakes on the next commit.
    /// Burns no core while idle; a wake-up costs microseconds (a halted vCPU is woken through the host), so spin first.
    /// </summary>
    SpinThenBlock,
}
