namespace ShmIpc.NetTransports.Tests.UnixSockets;

/// <summary>
/// The connected AF_UNIX sockets bound to a path, from /proc/net/unix: a subscriber's accepted ends carry its socket's
/// path (its listening socket too, in state 01), a client's end carries none, so each connection shows once.
/// </summary>
internal static class UnixSocketConnectionEnds
{
    private const string Connected = "03";

    public static int At(string path) =>
        File.ReadLines("/proc/net/unix").Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            // Num RefCount Protocol Flags Type St Inode Path
            .Count(fields => fields.Length >= 8 && fields[5] == Connected && string.Equals(fields[7], path, StringComparison.Ordinal));
}
