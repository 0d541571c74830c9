using System.Runtime.InteropServices;

namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>Which machine produced the figures: enough to tell two results files apart.</summary>
internal sealed record MachineInfo(
    string Host,
    string Os,
    string Kernel,
    string Cpu,
    int LogicalCpus,
    long MemoryBytes,
    string Runtime)
{
    public static MachineInfo Current() => new(
        Environment.MachineName,
        RuntimeInformation.OSDescription,
        ReadFirstLine("/proc/sys/kernel/osrelease") ?? Environment.OSVersion.VersionString,
        CpuModel(),
        Environment.ProcessorCount,
        GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
        RuntimeInformation.FrameworkDescription);

    private static string CpuModel()
    {
        const string Key = "model name";
        try
        {
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.StartsWith(Key, StringComparison.Ordinal))
                {
                    return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                }
            }
        }
        catch (IOException)
        {
            // Not Linux, or no procfs: say so below.
        }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    private static string? ReadFirstLine(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadLines(path).FirstOrDefault()?.Trim() : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
