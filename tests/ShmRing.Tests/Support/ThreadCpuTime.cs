using System.Globalization;
using System.Runtime.InteropServices;

namespace ShmIpc.ShmRing.Tests.Support;

/// <summary>CPU time of one OS thread (utime + stime of /proc/self/task/TID/stat, in clock ticks of 10 ms).</summary>
internal static partial class ThreadCpuTime
{
    public static int CurrentThreadId() => GetTid();

    public static long Ticks(int threadId)
    {
        string stat = File.ReadAllText($"/proc/self/task/{threadId}/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

        // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();
}
