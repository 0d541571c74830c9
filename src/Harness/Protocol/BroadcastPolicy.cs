namespace ShmIpc.Harness.Protocol;

/// <summary>
/// What the shm-broadcast sender does about a consumer that falls a ring's lap behind (<c>--broadcast-policy</c>).
/// Lossless is the default: every other transport delivers every message, so a comparison row means the same thing.
/// </summary>
internal enum BroadcastPolicy
{
    /// <summary>The sender waits for the slowest consumer: every consumer gets every message.</summary>
    Lossless = 0,

    /// <summary>The sender never waits: a lapped consumer skips to the newest record and reports how many it missed.</summary>
    Lossy,
}
