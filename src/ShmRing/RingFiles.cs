namespace ShmIpc.ShmRing;

/// <summary>
/// The files behind rings, by ring name: whether one exists, and removing one that its processes left behind. Only
/// ShmRing knows where a ring's file lives and how to tell an abandoned ring from a ring in use, so a caller that
/// cleans up after a ring asks here instead of building a path.
/// </summary>
public static class RingFiles
{
    /// <summary>True if the file of the ring <paramref name="name"/> exists (whoever made it, in whatever state).</summary>
    /// <exception cref="ArgumentException">The name is not a valid ring name.</exception>
    public static bool Exists(string name) => File.Exists(SegmentName.ToPath(name));

    /// <summary>
    /// Removes the file of the ring <paramref name="name"/> if it is abandoned: its creator is proven dead, and so is
    /// every process holding a role in it (the consumer, each producer), unless it detached. Proof is the ring's own
    /// (docs/ring-layout.md, "Liveness and cleanup"): a pid and its start time, never a timeout, so a paused process
    /// counts as alive and its ring is kept. For a last-resort cleanup after a process that was killed and could not
    /// unlink its ring.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not a valid ring name.</exception>
    /// <exception cref="IOException">The file exists but cannot be read or removed.</exception>
    /// <exception cref="UnauthorizedAccessException">The file belongs to someone this process may not write for.</exception>
    public static RingFileRemoval RemoveIfAbandoned(string name)
    {
        string path = SegmentName.ToPath(name);
        RingFileRemoval verdict;
        int creatorPid;
        long creationTime;
        try
        {
            verdict = Examine(path, out creatorPid, out creationTime);
        }
        catch (FileNotFoundException)
        {
            return RingFileRemoval.NotFound;
        }

        if (verdict != RingFileRemoval.Removed)
        {
            return verdict;
        }

        // Only the file examined: a new creator may have reclaimed the name meanwhile (RingSegment.Create does).
        if (!RingSegment.IsStillOurs(path, creatorPid, creationTime))
        {
            return File.Exists(path) ? RingFileRemoval.InUse : RingFileRemoval.NotFound;
        }

        File.Delete(path);
        return RingFileRemoval.Removed;
    }

    /// <summary><see cref="RingFileRemoval.Removed"/> if the file at <paramref name="path"/> is an abandoned ring, else why not.</summary>
    private static RingFileRemoval Examine(string path, out int creatorPid, out long creationTime)
    {
        creatorPid = 0;
        creationTime = 0;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        if (stream.Length < RingLayout.DataOffset)
        {
            return RingFileRemoval.NotARing;
        }

        // Mapped whole (a mapping may not be shorter than its file); only the header's pages are touched.
        using var file = new MappedFile(stream, stream.Length);
        var header = new RingHeader(file);

        // SYNC POINT acquire, partner the creator's release store of the magic (RingSegment.Initialize).
        ulong magic = Volatile.Read(ref header.Magic);

        // Written first by the creator: without it, the file may be a ring being created this instant.
        creatorPid = Volatile.Read(ref header.CreatorPid);
        if (creatorPid == 0 || (magic != 0 && magic != RingLayout.Magic))
        {
            return RingFileRemoval.NotARing;
        }

        if (ProcessIdentity.IsAlive(creatorPid, header.CreatorStartTime, fullStartTime: true))
        {
            return RingFileRemoval.InUse;
        }

        // SYNC POINT acquire (each owner word), partner the role holders' CAS at attach and release store at detach.
        if (OwnerWord.IsLive(Volatile.Read(ref header.ConsumerOwner)))
        {
            return RingFileRemoval.InUse;
        }

        for (int slot = 0; slot < RingLayout.ProducerSlotCount; slot++)
        {
            if (OwnerWord.IsLive(Volatile.Read(ref header.Slot(slot).Owner)))
            {
                return RingFileRemoval.InUse;
            }
        }

        creationTime = header.CreationTime;
        return RingFileRemoval.Removed;
    }
}
