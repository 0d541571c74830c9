using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace ShmIpc.Harness.Child.Measurement;

/// <summary>
/// Pins every thread of this process to one CPU, as the C floor tool pins each side. Linux keeps
/// affinity per thread: <c>Process.ProcessorAffinity</c> would pin only the main thread and leave
/// the runtime's existing threads where they were, so each thread in /proc/self/task is pinned.
/// Threads created later inherit the mask of the thread that creates them.
/// </summary>
internal static class CpuAffinity
{
    [SupportedOSPlatform("linux")]
    public static void PinProcessTo(int cpu)
    {
        if (!AllowedCpus().Contains(cpu))
        {
            throw new ArgumentOutOfRangeException(nameof(cpu), cpu, $"CPU {cpu} is not one this process may use: {string.Join(",", AllowedCpus())}");
        }
        ulong mask = 1UL << cpu;
        foreach (string task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            int threadId = int.Parse(Path.GetFileName(task), NumberStyles.None, CultureInfo.InvariantCulture);
            // A thread may end between listing and pinning (ESRCH): nothing to pin then.
            if (SchedSetAffinity(threadId, sizeof(ulong), ref mask) != 0 && Marshal.GetLastPInvokeError() != Esrch)
            {
                throw new InvalidOperationException($"sched_setaffinity(thread {threadId}, CPU {cpu}) failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }
    }

    /// <summary>The CPUs this process may run on (a cpuset or taskset may allow fewer, or other, CPUs than 0..N-1).</summary>
    public static IReadOnlyList<int> AllowedCpus()
    {
        if (!OperatingSystem.IsLinux())
        {
            return Enumerable.Range(0, Environment.ProcessorCount).ToList();
        }
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        long mask = (long)self.ProcessorAffinity;
        return Enumerable.Range(0, 64).Where(cpu => (mask & (1L << cpu)) != 0).ToList();
    }

    private const int Esrch = 3;

    // DllImport (not LibraryImport) keeps the harness free of unsafe code; the signature is blittable.
    [DllImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static extern int SchedSetAffinity(int threadId, nuint maskSize, ref ulong mask);
}
