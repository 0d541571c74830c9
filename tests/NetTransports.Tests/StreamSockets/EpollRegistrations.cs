using System.Globalization;
using System.Net.Sockets;

namespace ShmIpc.NetTransports.Tests.StreamSockets;

/// <summary>
/// The descriptors this process has in any epoll set, read from /proc/self/fdinfo (each epoll descriptor's file lists
/// one "tfd:" line per descriptor it watches): how a test sees whether .NET's socket engine took a socket in.
/// </summary>
internal static class EpollRegistrations
{
    public static IReadOnlySet<int> Current()
    {
        var watched = new HashSet<int>();
        foreach (string entry in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            string? target;
            try
            {
                target = new FileInfo(entry).LinkTarget;
            }
            catch (IOException)
            {
                continue; // closed while we looked
            }

            if (target != "anon_inode:[eventpoll]")
            {
                continue;
            }

            string[] lines;
            try
            {
                lines = File.ReadAllLines($"/proc/self/fdinfo/{Path.GetFileName(entry)}");
            }
            catch (IOException)
            {
                continue;
            }

            foreach (string line in lines.Where(line => line.StartsWith("tfd:", StringComparison.Ordinal)))
            {
                watched.Add(int.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture));
            }
        }

        return watched;
    }

    public static int Descriptor(Socket socket) => (int)socket.SafeHandle.DangerousGetHandle();
}
