using ShmIpc.Harness.Protocol;
using ShmIpc.ShmRing;

namespace ShmIpc.Harness.Parent.Orchestration;

/// <summary>
/// The last line of defence for /dev/shm: the receiver unlinks its segment when it exits, but a
/// receiver that was killed cannot. The parent chose the name, so it asks the ring to remove what
/// is left once every process that used it is gone.
/// </summary>
internal static class SegmentCleanup
{
    public static void RemoveIfLeft(RunSettings settings, IRunProgress progress)
    {
        if (!settings.UsesSegment || settings.SegmentName is null)
        {
            return;
        }
        try
        {
            RingFileRemoval removal = RingFiles.RemoveIfAbandoned(settings.SegmentName);
            if (removal is RingFileRemoval.InUse or RingFileRemoval.NotARing)
            {
                progress.Phase(settings, $"left ring {settings.SegmentName} in place: {removal}");
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            progress.Phase(settings, $"could not remove ring {settings.SegmentName}: {exception.Message}");
        }
    }
}
