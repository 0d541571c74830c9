namespace ShmIpc.Harness.Measurement;

/// <summary>
/// Measures this process's CPU, allocation and collections over a window, from a control thread
/// that sleeps between the window's edges (it never spins on the pinned CPU it shares with the
/// sender or receiver). Stopped early, it reports the part of the window that had passed.
/// </summary>
internal static class UsageSampler
{
    /// <summary>Loads and JITs the /proc reading once, before any window, so the first real snapshot does not stall a pinned CPU.</summary>
    public static void WarmUp() => ProcessUsage.AtWindowEnd().Since(ProcessUsage.AtWindowStart());

    public static Task<UsageOverWindow?> MeasureAsync(MeasurementWindow window, CancellationToken stopEarly) => Task.Run(() =>
    {
        MonotonicClock.SleepUntil(window.StartNanoseconds, stopEarly);
        if (stopEarly.IsCancellationRequested)
        {
            return null;
        }
        ProcessUsage start = ProcessUsage.AtWindowStart();
        MonotonicClock.SleepUntil(window.EndNanoseconds, stopEarly);
        return (UsageOverWindow?)ProcessUsage.AtWindowEnd().Since(start);
    }, CancellationToken.None);
}
