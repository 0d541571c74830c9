using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Parent.HostLoad;

/// <summary>
/// Samples the host's CPU times at the edges of a measurement window, from a thread that sleeps in between (two
/// reads of /proc/stat per row, none while the children measure), so a row can say what else ran meanwhile.
/// </summary>
internal static class WindowLoadSampler
{
    /// <summary>
    /// Reads what the window's edges read once, before any child starts: the first read JITs its code, and at a window's
    /// edge that would run on a CPU a child is measuring on (the parent is not pinned).
    /// </summary>
    public static void WarmUp()
    {
        _ = TryRead(out _);
        _ = Environment.CpuUsage;
    }

    /// <summary>Null when stopped before the window began, or when /proc/stat cannot be read (not Linux).</summary>
    public static Task<WindowLoad?> MeasureAsync(long windowStartNanoseconds, long windowEndNanoseconds, CancellationToken stopEarly) =>
        Task.Run(() =>
        {
            MonotonicClock.SleepUntil(windowStartNanoseconds, stopEarly);
            if (stopEarly.IsCancellationRequested || !TryRead(out HostCpuTimes start))
            {
                return null;
            }
            long started = MonotonicClock.NowNanoseconds();
            TimeSpan parentStart = Environment.CpuUsage.TotalTime;
            MonotonicClock.SleepUntil(windowEndNanoseconds, stopEarly);
            TimeSpan parentEnd = Environment.CpuUsage.TotalTime;
            return TryRead(out HostCpuTimes end)
                ? new WindowLoad(start, end, (MonotonicClock.NowNanoseconds() - started) / 1e9, (parentEnd - parentStart).TotalSeconds)
                : null;
        }, CancellationToken.None);

    private static bool TryRead(out HostCpuTimes times)
    {
        try
        {
            times = HostCpuTimes.Read();
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
        {
            times = default;
            return false;
        }
    }
}
