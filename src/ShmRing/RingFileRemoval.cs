namespace ShmIpc.ShmRing;

/// <summary>What <see cref="RingFiles.RemoveIfAbandoned"/> found, and so did.</summary>
public enum RingFileRemoval
{
    /// <summary>No file of that name: nothing to do.</summary>
    NotFound,

    /// <summary>The ring was abandoned (its creator and every process holding a role dead or detached): its file is removed.</summary>
    Removed,

    /// <summary>Its creator, its consumer or one of its producers is alive: the file is kept.</summary>
    InUse,

    /// <summary>The file is not a ring segment (a foreign magic, or no creator pid yet): it is kept.</summary>
    NotARing,
}
