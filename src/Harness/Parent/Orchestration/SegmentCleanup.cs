using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Parent.Orchestration;

/// <summary>
/// The last line of defence for /dev/shm: the receiver unlinks its segment when it exits, but a
/// receiver that was killed cannot. The parent chose the name, so it removes what is left.
/// </summary>
internal static class SegmentCleanup
{
    public static void RemoveIfLeft(RunSettings settings, IRunProgress progress)
    {
        if (settings.Transport != TransportKind.SharedMemory || settings.SegmentName is null)
        {
            return;
        }
        string path = Path.Combine("/dev/shm", settings.SegmentName);
        try
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            progress.Phase(settings, $"could not remove {path}: {exception.Message}");
        }
    }
}
