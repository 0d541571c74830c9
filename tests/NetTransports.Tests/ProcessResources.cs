namespace ShmIpc.NetTransports.Tests;

/// <summary>Counts this process's open sockets (/proc/self/fd) and threads by name (/proc/self/task/*/comm).</summary>
internal static class ProcessResources
{
    public static int OpenSockets() =>
        Directory.EnumerateFileSystemEntries("/proc/self/fd")
            .Count(entry =>
            {
                try
                {
                    return new FileInfo(entry).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true;
                }
                catch (IOException)
                {
                    return false; // closed while listing
                }
            });

    /// <summary>
    /// The open-socket count once it stops changing (two reads 100 ms apart agree, at most 5 s): sockets of an
    /// earlier test may still be closing when a test takes its baseline.
    /// </summary>
    public static async Task<int> SettledOpenSocketsAsync()
    {
        int previous = OpenSockets();
        for (int attempt = 0; attempt < 50; attempt++)
        {
            await Task.Delay(100);
            int current = OpenSockets();
            if (current == previous)
            {
                return current;
            }

            previous = current;
        }

        return previous;
    }

    /// <summary>
    /// ESTABLISHED TCP connections with <paramref name="port"/> at either end (/proc/net/tcp and tcp6): with client and
    /// server in this process, each connection to a listener on that port counts twice. Unlike the open-socket count,
    /// sockets of other tests (other ports) closing meanwhile cannot move it.
    /// </summary>
    public static int EstablishedConnectionsOnPort(int port)
    {
        const string Established = "01";
        string hexPort = port.ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
        int count = 0;
        foreach (string table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table))
            {
                continue;
            }

            foreach (string line in File.ReadLines(table).Skip(1))
            {
                // "  sl  local_address rem_address   st ...", addresses as HEXADDR:HEXPORT
                string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 3 && fields[3] == Established
                    && (fields[1].EndsWith(":" + hexPort, StringComparison.Ordinal) || fields[2].EndsWith(":" + hexPort, StringComparison.Ordinal)))
                {
                    count++;
                }
            }
        }

        return count;
    }

    public static int ThreadsNamed(string prefix) =>
        Directory.EnumerateDirectories("/proc/self/task")
            .Count(task =>
            {
                try
                {
                    return File.ReadAllText(Path.Combine(task, "comm")).StartsWith(prefix, StringComparison.Ordinal);
                }
                catch (IOException)
                {
                    return false; // thread exited while listing
                }
            });
}
