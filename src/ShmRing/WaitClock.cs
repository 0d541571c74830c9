using System.Diagnostics;

namespace ShmIpc.ShmRing;

/// <summary>
/// The timing of one wait: when spinning ends, when the peer is due for a liveness check, when the caller's timeout
/// passes. Stopwatch ticks (CLOCK_MONOTONIC on Linux). A mutable struct kept in a local: no allocation.
/// </summary>
internal struct WaitClock
{
    private readonly long _spinUntil;
    private readonly long _deadline;
    private readonly long _checkInterval;
    private long _nextCheck;

    public WaitClock(RingOptions options, TimeSpan timeout)
    {
        long now = Stopwatch.GetTimestamp();
        _spinUntil = now + ToTicks(options.SpinDuration);
        _deadline = timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : now + ToTicks(timeout);
        _checkInterval = ToTicks(options.PeerCheckInterval);
        _nextCheck = now + _checkInterval;
    }

    public long Now { get; private set; }

    public readonly bool Spinning => Now < _spinUntil;

    public readonly bool TimedOut => Now >= _deadline;

    /// <summary>Nanoseconds a blocking sleep may last: until the next peer check or the deadline, whichever is first.</summary>
    public readonly long SleepBudgetNanoseconds
        => (long)((Math.Min(_nextCheck, _deadline) - Now) * (1e9 / Stopwatch.Frequency));

    public void Update() => Now = Stopwatch.GetTimestamp();

    /// <summary>True once per check interval: time to look at the peer's pid and start time.</summary>
    public bool PeerCheckDue()
    {
        if (Now < _nextCheck)
        {
            return false;
        }

        _nextCheck = Now + _checkInterval;
        return true;
    }

    public static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
