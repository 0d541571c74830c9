using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Child.Measurement;

/// <summary>
/// Measures this process's CPU, allocation and collections over a window, from a control thread
/// that sleeps between the window's edges (it never spins on the pinned CPU it shares with the
/// sender or receiver). Stopped early, it reports the part of the window that had passed.
/// </summary>
internal static class UsageSampler
{
    /// <summary>Loads and JITs the /proc reading once, before any window, so the first real snapshot does not stall a pinned CPU.</summary>
    public static void WarmUp() => ProcessUsage.AtWindowEnd().Since(ProcessUsage.AtWindowStart());

    /// <summary>How many allocated types a report names (the rest are usually noise at sampling granularity).</summary>
    public const int AllocationSourcesReported = 8;

    /// <summary>
    /// Measures over <paramref name="window"/>; with <paramref name="sampleAllocationSources"/> also which types
    /// were allocated (the runtime's allocation sampling is switched on now, before the window, so its start-up is not measured).
    /// </summary>
    public static Task<UsageOverWindow?> MeasureAsync(MeasurementWindow window, CancellationToken stopEarly, bool sampleAllocationSources = false)
    {
        AllocationSourceSampler? sampler = sampleAllocationSources ? new AllocationSourceSampler() : null;
        return Task.Run(() =>
        {
            using AllocationSourceSampler? listening = sampler;
            MonotonicClock.SleepUntil(window.StartNanoseconds, stopEarly);
            if (stopEarly.IsCancellationRequested)
            {
                return null;
            }
            ProcessUsage start = ProcessUsage.AtWindowStart();
            sampler?.Start();
            MonotonicClock.SleepUntil(window.EndNanoseconds, stopEarly);
            UsageOverWindow usage = ProcessUsage.AtWindowEnd().Since(start);
            double seconds = (MonotonicClock.NowNanoseconds() - start.TimestampNanoseconds) / 1e9;
            return (UsageOverWindow?)(sampler is null ? usage : usage with { AllocationSources = sampler.Stop(seconds, AllocationSourcesReported) });
        }, CancellationToken.None);
    }
}
