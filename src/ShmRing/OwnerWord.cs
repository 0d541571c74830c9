namespace ShmIpc.ShmRing;

/// <summary>
/// Who holds a role (the consumer, or a producer slot), in one u64 so that it changes atomically:
/// low 32 bits the pid as i32 (positive: attached; negative: that pid detached cleanly; 0: never attached),
/// high 32 bits the low 32 bits of the process start time.
/// </summary>
internal static class OwnerWord
{
    public static ulong Attached(ProcessIdentity process) => (uint)process.Pid | ((ulong)(uint)process.StartTime << 32);

    public static ulong Detached(ulong owner) => (uint)(-Pid(owner)) | (owner & 0xFFFF_FFFF_0000_0000);

    public static int Pid(ulong owner) => (int)(uint)owner;

    public static bool EverAttached(ulong owner) => owner != 0;

    /// <summary>True if the owner detached cleanly (after publishing all it claimed).</summary>
    public static bool IsDetached(ulong owner) => Pid(owner) < 0;

    /// <summary>True if the owner is attached and its process is alive (a paused process is alive).</summary>
    public static bool IsLive(ulong owner) => Pid(owner) > 0 && ProcessIdentity.IsAlive(Pid(owner), owner >> 32, fullStartTime: false);
}
