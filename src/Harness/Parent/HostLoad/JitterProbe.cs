using ShmIpc.Harness.Parent.Reporting;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Parent.HostLoad;

/// <summary>
/// The host's noise floor before anything is measured, as <c>limits jitter</c> measures it: one thread per CPU reads
/// the clock in a loop, and any gap over <see cref="StallNanoseconds"/> is time the thread did not run (an interrupt,
/// another process, the hypervisor). Runs before the children start, so it never overlaps a measurement.
/// </summary>
internal static class JitterProbe
{
    public const long StallNanoseconds = 10_000;

    public static readonly TimeSpan DefaultLength = TimeSpan.FromMilliseconds(500);

    public static JitterProbeResult Run(TimeSpan length)
    {
        int threads = Environment.ProcessorCount;
        var results = new (long Stalls, long LostNs, long MaxNs)[threads];
        long lengthNs = (long)length.TotalNanoseconds;
        var workers = new Thread[threads];
        for (int index = 0; index < threads; index++)
        {
            int slot = index;
            workers[index] = new Thread(() => results[slot] = Spin(lengthNs)) { IsBackground = true, Name = "jitter probe" };
            workers[index].Start();
        }
        foreach (Thread worker in workers)
        {
            worker.Join();
        }
        double seconds = length.TotalSeconds * threads;
        return new JitterProbeResult(
            length.TotalSeconds,
            threads,
            results.Sum(result => result.Stalls) / seconds,
            results.Sum(result => result.LostNs) / 1e9 / seconds * 100,
            results.Max(result => result.MaxNs));
    }

    private static (long Stalls, long LostNs, long MaxNs) Spin(long lengthNs)
    {
        long stalls = 0, lost = 0, max = 0;
        long previous = MonotonicClock.NowNanoseconds();
        long end = previous + lengthNs;
        while (previous < end)
        {
            long now = MonotonicClock.NowNanoseconds();
            long gap = now - previous;
            if (gap > StallNanoseconds)
            {
                stalls++;
                lost += gap;
                max = Math.Max(max, gap);
            }
            previous = now;
        }
        return (stalls, lost, max);
    }
}
