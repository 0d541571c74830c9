namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>
/// What a row left on the host once both children were stopped and cleaned up after: child processes still alive,
/// its shared-memory segment still in /dev/shm (either makes <see cref="Leaked"/> true), and the parent's threads and
/// file descriptors before and after (figures only: the runtime creates threads and descriptors lazily, on the
/// first row especially, so a difference is not by itself a leak).
/// </summary>
internal sealed record LeakCheck(
    IReadOnlyList<int> ProcessesLeft,
    string? SegmentLeft,
    int ParentThreadsBefore,
    int ParentThreadsAfter,
    int ParentFileDescriptorsBefore,
    int ParentFileDescriptorsAfter)
{
    public bool Leaked => ProcessesLeft.Count > 0 || SegmentLeft is not null;

    /// <summary>From the parent's resources before the row and after it, and whether the row's segment still exists.</summary>
    public static LeakCheck Between(HostLoad.HostResources before, HostLoad.HostResources after, string? segmentLeft) => new(
        [.. after.ChildProcessIds.Except(before.ChildProcessIds)],
        segmentLeft,
        before.ParentThreads,
        after.ParentThreads,
        before.ParentFileDescriptors,
        after.ParentFileDescriptors);
}
