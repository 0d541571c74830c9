using System.Globalization;

namespace ShmIpc.Harness.Parent.HostLoad;

/// <summary>
/// What the parent holds on the host at one moment: its threads, its file descriptors, and the processes it started
/// that are still alive (from /proc/self). Taken before and after each row to find what a row left behind.
/// </summary>
internal sealed record HostResources(int ParentThreads, int ParentFileDescriptors, IReadOnlyList<int> ChildProcessIds)
{
    public static HostResources Snapshot()
    {
        string[] tasks = Directory.GetDirectories("/proc/self/task");
        var children = new List<int>();
        foreach (string task in tasks)
        {
            try
            {
                children.AddRange(File.ReadAllText(Path.Combine(task, "children"))
                    .Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    .Select(pid => int.Parse(pid, NumberStyles.None, CultureInfo.InvariantCulture)));
            }
            catch (IOException)
            {
                // The thread ended while we looked.
            }
        }
        return new HostResources(tasks.Length, Directory.GetFileSystemEntries("/proc/self/fd").Length, [.. children.Distinct().Order()]);
    }
}
