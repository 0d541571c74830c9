namespace ShmIpc.ShmRing;

/// <summary>What creating a ring does when a file of that name exists and its creator is dead.</summary>
public enum StaleSegmentPolicy
{
    /// <summary>Unlink the dead creator's file and create a fresh one.</summary>
    Reclaim,

    /// <summary>Throw a <see cref="RingException"/> naming the dead creator's pid.</summary>
    Refuse,
}
