namespace ShmIpc.ShmRing;

/// <summary>
/// The files behind rings, by ring name: whether one exists. Only ShmRing knows where a ring's file lives, so a
/// caller that cleans up after a ring asks here instead of building a path.
/// </summary>
public static class RingFiles
{
    /// <summary>True if the file of the ring <paramref name="name"/> exists (whoever made it, in whatever state).</summary>
    /// <exception cref="ArgumentException">The name is not a valid ring name.</exception>
    public static bool Exists(string name) => File.Exists(SegmentName.ToPath(name));
}
