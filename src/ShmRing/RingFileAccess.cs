namespace ShmIpc.ShmRing;

/// <summary>Permissions of the /dev/shm file, set atomically at creation.</summary>
public enum RingFileAccess
{
    /// <summary>0600: only the creating user can attach.</summary>
    OwnerOnly,

    /// <summary>0660: the creating user's group can attach too.</summary>
    OwnerAndGroup,
}
