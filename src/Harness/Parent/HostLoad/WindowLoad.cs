namespace ShmIpc.Harness.Parent.HostLoad;

/// <summary>What the host's CPUs did over one row's measurement window, and how much of it was the parent itself.</summary>
internal sealed record WindowLoad(HostCpuTimes Start, HostCpuTimes End, double Seconds, double ParentCpuSeconds);
