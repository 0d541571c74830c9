namespace ShmIpc.Harness.Protocol;

/// <summary>
/// What a child process holds at one moment, from /proc/self: its threads, its open file descriptors, how many of
/// those are sockets, how many are assemblies the runtime loaded (it keeps each one's file open, twice, for the
/// process's life, and a transport's first use loads dozens) and how many are the runtime's pipes and anonymous inodes
/// (its signal and wake-up pipes, the socket engine's epoll: made lazily, some by its own threads at a moment of their
/// choosing, and kept; no transport makes either), its mappings of files in /dev/shm (lines of /proc/self/maps: one
/// file mapped in parts is several) and its managed heap. A descriptor closed while the listing is read (the
/// listing's own, another thread's for a moment) is not held, so not counted. A child takes one before its transport
/// is created and one after it is disposed, and sends both in its report; the parent decides what is a leak
/// (<c>LeakCheck</c>).
/// </summary>
internal sealed record ChildResources(int Threads, int FileDescriptors, int Sockets, int AssemblyFileDescriptors, int ShmMappings, long HeapBytes, int RuntimeFileDescriptors = 0)
{
    private const string SocketLinkPrefix = "socket:[";
    private const string PipeLinkPrefix = "pipe:[";
    private const string AnonymousInodeLinkPrefix = "anon_inode:";
    private const string ShmDirectory = "/dev/shm/";
    private const string AssemblySuffix = ".dll";

    /// <summary>The descriptors that are neither a loaded assembly's nor the runtime's own: what the code itself opened.</summary>
    public int OtherFileDescriptors => FileDescriptors - AssemblyFileDescriptors - RuntimeFileDescriptors;

    public static ChildResources Snapshot()
    {
        int threads = Directory.GetDirectories("/proc/self/task").Length;
        int descriptors = 0;
        int sockets = 0;
        int assemblies = 0;
        int runtime = 0;
        foreach (string descriptor in Directory.GetFileSystemEntries("/proc/self/fd"))
        {
            string? target;
            try
            {
                target = new FileInfo(descriptor).LinkTarget;
            }
            catch (IOException)
            {
                continue; // closed while we looked (the listing's own descriptor, for one): not held
            }
            if (string.IsNullOrEmpty(target))
            {
                continue; // the same, seen as an empty link
            }
            descriptors++;
            if (target.StartsWith(SocketLinkPrefix, StringComparison.Ordinal))
            {
                sockets++;
            }
            else if (target.EndsWith(AssemblySuffix, StringComparison.Ordinal))
            {
                assemblies++;
            }
            else if (target.StartsWith(PipeLinkPrefix, StringComparison.Ordinal) || target.StartsWith(AnonymousInodeLinkPrefix, StringComparison.Ordinal))
            {
                runtime++;
            }
        }
        // No forced collection: it would run the finalizers that close a leaked socket before the next snapshot saw it.
        // So the heap counts garbage not yet collected too: a figure, not a verdict.
        return new ChildResources(threads, descriptors, sockets, assemblies, CountShmMappings(), GC.GetTotalMemory(forceFullCollection: false), runtime);
    }

    private static int CountShmMappings()
    {
        int mappings = 0;
        foreach (string line in File.ReadLines("/proc/self/maps"))
        {
            // address perms offset dev inode path: the path is the sixth field, after the inode's run of spaces.
            int path = line.IndexOf('/', StringComparison.Ordinal);
            if (path >= 0 && line.AsSpan(path).StartsWith(ShmDirectory, StringComparison.Ordinal))
            {
                mappings++;
            }
        }
        return mappings;
    }
}
