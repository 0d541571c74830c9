using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Child.Measurement;

/// <summary>
/// The sender's open-loop plan: message <c>n</c> is due at <c>start + n × interval</c>, whatever
/// happened to message <c>n − 1</c>. Each message is stamped with its due time, so a stall shows up
/// as latency on every message it delayed (no coordinated omission). With no rate (flat out),
/// every message is due immediately and is stamped with the time it is sent.
/// </summary>
internal readonly struct OpenLoopSchedule
{
    private readonly long _startNanoseconds;
    private readonly double _intervalNanoseconds;

    public OpenLoopSchedule(long startNanoseconds, double? messagesPerSecond)
    {
        _startNanoseconds = startNanoseconds;
        _intervalNanoseconds = messagesPerSecond is > 0 ? 1e9 / messagesPerSecond.Value : 0;
    }

    /// <summary>True when messages are sent as fast as the transport takes them.</summary>
    public bool IsFlatOut => _intervalNanoseconds == 0;

    /// <summary>The intended send time of message <paramref name="index"/>, in CLOCK_MONOTONIC nanoseconds.</summary>
    public long DueTime(long index) => _startNanoseconds + (long)(index * _intervalNanoseconds);

    /// <summary>How many messages are due in the first <paramref name="elapsedNanoseconds"/> of the schedule.</summary>
    public long CountDueWithin(long elapsedNanoseconds) =>
        IsFlatOut ? long.MaxValue : (long)Math.Ceiling(elapsedNanoseconds / _intervalNanoseconds);

    /// <summary>
    /// Waits until <paramref name="dueNanoseconds"/> and returns the time it woke, polling the clock as the C floor tool
    /// and the ring benchmark do. No sleep (waking costs tens of microseconds, a whole interval at 50,000 msg/s), no
    /// yield (a yield hands the pinned CPU to any runnable thread for as long as it wants it) and no pause instruction
    /// (under a hypervisor a run of pauses can make the host take the vCPU away).
    /// </summary>
    public static long SpinUntil(long dueNanoseconds)
    {
        long now = MonotonicClock.NowNanoseconds();
        while (now < dueNanoseconds)
        {
            now = MonotonicClock.NowNanoseconds();
        }
        return now;
    }
}
