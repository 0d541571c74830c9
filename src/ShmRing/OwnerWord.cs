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

    /// <summary>
    /// Takes a role one process holds at a time (the consumer, an SPSC or broadcast producer): the owner
    /// <paramref name="word"/> goes from a value that names no live process to <paramref name="owner"/>, else
    /// <see cref="RingError.RoleTaken"/> naming <paramref name="role"/>.
    /// </summary>
    public static void TakeRole(ref ulong word, ulong owner, string segmentName, string role)
    {
        // SYNC POINT acquire, partner a predecessor's CAS below and its release store at detach.
        ulong previous = Volatile.Read(ref word);
        if (IsLive(previous))
        {
            throw new RingException(RingError.RoleTaken, segmentName, $"the {role} role is held by live pid {Pid(previous)}");
        }

        // SYNC POINT full fence (CAS), partner the other parties' acquire loads of this owner word (attach, peer checks).
        if (Interlocked.CompareExchange(ref word, owner, previous) != previous)
        {
            throw new RingException(RingError.RoleTaken, segmentName, $"another {role} attached at the same moment");
        }
    }
}
