namespace ShmIpc.ShmRing.Broadcast;

/// <summary>Where a consumer joining a broadcast starts.</summary>
public enum BroadcastStart
{
    /// <summary>With the newest published record (or the first one to come, if none was published yet).</summary>
    Newest,

    /// <summary>With the oldest record still intact in the ring.</summary>
    Oldest,
}
