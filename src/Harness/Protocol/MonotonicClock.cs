using System.Diagnostics;

namespace ShmIpc.Harness.Protocol;

/// <summary>
/// The one clock every process of a run uses: <see cref="Stopwatch"/>, which on Linux reads
/// CLOCK_MONOTONIC. It is system-wide, so a timestamp taken in the sender process can be
/// subtracted from one taken in the receiver process on the same host.
/// </summary>
internal static class MonotonicClock
{
    private static readonly bool TicksAreNanoseconds = Stopwatch.Frequency == 1_000_000_000;
    private static readonly double NanosecondsPerTick = 1e9 / Stopwatch.Frequency;

    /// <summary>Now, in nanoseconds of CLOCK_MONOTONIC.</summary>
    public static long NowNanoseconds()
    {
        long ticks = Stopwatch.GetTimestamp();
        return TicksAreNanoseconds ? ticks : (long)(ticks * NanosecondsPerTick);
    }

    /// <summary>
    /// Sleeps until the deadline (control paths only: it may wake a little late, and it never
    /// spins, so it takes no CPU from the pinned sender or receiver it shares a core with).
    /// </summary>
    public static void SleepUntil(long deadlineNanoseconds, CancellationToken cancellation = default)
    {
        while (!cancellation.IsCancellationRequested)
        {
            long remaining = deadlineNanoseconds - NowNanoseconds();
            if (remaining <= 0)
            {
                return;
            }
            cancellation.WaitHandle.WaitOne(TimeSpan.FromTicks(Math.Max(1, remaining / 100)));
        }
    }

    public static long ToNanoseconds(TimeSpan span) => span.Ticks * 100;
}
