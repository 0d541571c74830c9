namespace ShmIpc.ShmRing;

/// <summary>Why a <see cref="RingException"/> was thrown.</summary>
public enum RingError
{
    /// <summary>A segment of that name exists and its creator is alive.</summary>
    SegmentExists,

    /// <summary>A segment of that name exists, its creator is dead, and the policy is <see cref="StaleSegmentPolicy.Refuse"/>.</summary>
    StaleSegment,

    /// <summary>No segment of that name exists.</summary>
    SegmentNotFound,

    /// <summary>The segment's header differs from what the caller expects (magic, version, kind, capacity, size).</summary>
    FormatMismatch,

    /// <summary>A record header in the data region is inconsistent.</summary>
    Corrupted,

    /// <summary>The role (consumer, or the SPSC producer) is held by a live process, or every producer slot is.</summary>
    RoleTaken,

    /// <summary>The file was truncated while mapped: the ring can no longer be used (its missing pages would fault).</summary>
    Truncated,

    /// <summary>The file system holding the segments (/dev/shm) has no room for a new segment of the size asked for.</summary>
    NoSpace,

    /// <summary>The segment exists but its owner and mode do not let this user open it for reading and writing.</summary>
    AccessDenied,
}
