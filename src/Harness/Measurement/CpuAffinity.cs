using System.Diagnostics;
using System.Runtime.Versioning;

namespace ShmIpc.Harness.Measurement;

/// <summary>Pins the whole process to one CPU (threads created afterwards inherit it), as the C floor tool does.</summary>
internal static class CpuAffinity
{
    [SupportedOSPlatform("linux")]
    public static void PinProcessTo(int cpu)
    {
        if (cpu < 0 || cpu >= Environment.ProcessorCount || cpu >= 63)
        {
            throw new ArgumentOutOfRangeException(nameof(cpu), cpu, $"CPU {cpu} does not exist here: this machine has CPUs 0 to {Environment.ProcessorCount - 1}.");
        }
        using Process self = Process.GetCurrentProcess();
        self.ProcessorAffinity = (IntPtr)(1L << cpu);
    }
}
