using System.Globalization;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>
/// What a row left behind. On the host, once both children were stopped and cleaned up after: child processes still
/// alive, its shared-memory segment still in /dev/shm, and the parent's threads and file descriptors before and after
/// (figures only: the runtime creates threads and descriptors lazily, on the first row especially, so a difference is
/// not by itself a leak). In each child (<see cref="Children"/>), what it held before its transport was created and
/// after it was disposed, judged by this rule (<see cref="LeaksBetween"/>):
/// <list type="bullet">
/// <item>more /dev/shm mappings or more sockets at the end than at the start: a leak, with no tolerance (nothing in
/// the runtime maps /dev/shm or keeps a socket on its own; only the transport does);</item>
/// <item>more than <see cref="ExtraFileDescriptorsAllowed"/> extra file descriptors, not counting loaded assemblies'
/// or the runtime's pipes and anonymous inodes (<see cref="ChildResources.OtherFileDescriptors"/>): a leak (an
/// assembly stays open once loaded; the runtime makes its pipes and its socket engine's epoll lazily, some from its own
/// threads at their own moment, and keeps them; no transport makes either);</item>
/// <item>more than <see cref="ExtraThreadsAllowed"/> extra threads: a leak; fewer are a figure (the thread pool grows
/// and retires workers on its own schedule, and a control thread starts with the run);</item>
/// <item>the managed heap: a figure only (it is read without a collection, so it counts garbage not yet collected).</item>
/// </list>
/// Any of these makes <see cref="Leaked"/> true.
/// </summary>
internal sealed record LeakCheck(
    IReadOnlyList<int> ProcessesLeft,
    string? SegmentLeft,
    int ParentThreadsBefore,
    int ParentThreadsAfter,
    int ParentFileDescriptorsBefore,
    int ParentFileDescriptorsAfter,
    IReadOnlyList<ChildLeakCheck>? Children = null)
{
    /// <summary>Extra descriptors a child may hold after its transport was disposed: what the runtime opens lazily and keeps.</summary>
    public const int ExtraFileDescriptorsAllowed = 2;

    /// <summary>Extra threads a child may hold after its transport was disposed: far more than the thread pool's own growth on a small machine.</summary>
    public const int ExtraThreadsAllowed = 64;

    public bool Leaked => ProcessesLeft.Count > 0 || SegmentLeft is not null || (Children?.Any(child => child.Leaked) ?? false);

    /// <summary>
    /// From the parent's resources before the row and after it, whether the row's segment still exists, and what each
    /// child reported (<paramref name="children"/>; a child that sent no report is not there).
    /// </summary>
    public static LeakCheck Between(HostLoad.HostResources before, HostLoad.HostResources after, string? segmentLeft, IReadOnlyList<ChildLeakCheck>? children = null) => new(
        [.. after.ChildProcessIds.Except(before.ChildProcessIds)],
        segmentLeft,
        before.ParentThreads,
        after.ParentThreads,
        before.ParentFileDescriptors,
        after.ParentFileDescriptors,
        children ?? []);

    /// <summary>What a child still held after its transport was disposed beyond the rule's tolerance, one phrase each; none when nothing leaked.</summary>
    public static IReadOnlyList<string> LeaksBetween(ChildResources start, ChildResources end)
    {
        var leaks = new List<string>();
        if (end.ShmMappings > start.ShmMappings)
        {
            leaks.Add(Phrase(end.ShmMappings, start.ShmMappings, "/dev/shm mappings"));
        }
        if (end.Sockets > start.Sockets)
        {
            leaks.Add(Phrase(end.Sockets, start.Sockets, "sockets"));
        }
        if (end.OtherFileDescriptors > start.OtherFileDescriptors + ExtraFileDescriptorsAllowed)
        {
            leaks.Add(Phrase(end.OtherFileDescriptors, start.OtherFileDescriptors, "file descriptors (loaded assemblies' and the runtime's pipes aside)"));
        }
        if (end.Threads > start.Threads + ExtraThreadsAllowed)
        {
            leaks.Add(Phrase(end.Threads, start.Threads, "threads"));
        }
        return leaks;
    }

    private static string Phrase(int end, int start, string what) =>
        string.Create(CultureInfo.InvariantCulture, $"{end} {what} at the end, {start} at start");
}
