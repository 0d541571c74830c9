using System.Net.Sockets;

namespace ShmIpc.NetTransports.UnixSockets;

/// <summary>
/// The file a listening Unix domain socket lives in, held by one subscriber from <see cref="Claim"/> to
/// <see cref="Dispose"/>: its path checked against <see cref="UnixSocketPath"/>'s rule, its directory the user's own
/// (<see cref="UnixSocketPath.DefaultDirectory"/> created 0700 if missing), a stale socket left by a subscriber that
/// died (nothing listening) removed, a live one refused; once bound, mode 0600; removed when disposed.
/// </summary>
internal sealed class UnixSocketFile : IDisposable
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlySocket = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private bool _bound;

    private UnixSocketFile(string path) => Path = path;

    /// <summary>The socket's path.</summary>
    public string Path { get; }

    /// <summary>
    /// Makes <paramref name="path"/> ready to bind, or throws <see cref="TransportException"/> saying why it cannot be:
    /// the path breaks the rule, its directory is not the user's own, a subscriber is listening there, or a file that is
    /// not a socket is in the way (never removed).
    /// </summary>
    /// <param name="path">Where the socket is to live.</param>
    /// <param name="name">What messages call the subscriber ("uds subscriber").</param>
    /// <param name="log">Told when a stale socket file is removed.</param>
    public static UnixSocketFile Claim(string path, string name, Action<string> log)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw NotLinux();
        }

        if (UnixSocketPath.Problem(path) is string problem)
        {
            throw new TransportException($"{name} cannot listen on '{path}': not a usable Unix socket path: {problem}");
        }

        string directory = System.IO.Path.GetDirectoryName(path)!;
        if (directory == UnixSocketPath.DefaultDirectory && !Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, OwnerOnlyDirectory);
        }

        ThrowUnlessOwnDirectory(directory, path, name);
        if (FileStatus.TryRead(path, out FileStatus existing))
        {
            if (existing.Type != FileStatus.Kind.Socket)
            {
                throw new TransportException($"{name} cannot listen on {path}: a file that is not a socket is there (not removed)");
            }

            ReclaimIfStale(path, name, log);
        }

        return new UnixSocketFile(path);
    }

    /// <summary>Called once the socket is bound: the file is this subscriber's (removed on dispose) and becomes mode 0600.</summary>
    public void Bound()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw NotLinux();
        }

        _bound = true;
        File.SetUnixFileMode(Path, OwnerOnlySocket);
    }

    /// <summary>Removes the socket file, if this subscriber bound it (a refused or failed start leaves another's alone).</summary>
    public void Dispose()
    {
        if (_bound)
        {
            _bound = false;
            File.Delete(Path);
        }
    }

    /// <summary>statx(2) and the ownership rule are Linux's, as is the whole project (the platform analyzer needs the guard inline).</summary>
    private static PlatformNotSupportedException NotLinux() => new("Unix socket files are handled on Linux only");

    private static void ThrowUnlessOwnDirectory(string directory, string path, string name)
    {
        string reason;
        if (!FileStatus.TryRead(directory, out FileStatus status))
        {
            reason = "it does not exist";
        }
        else if (status.Type != FileStatus.Kind.Directory)
        {
            reason = status.Type == FileStatus.Kind.SymbolicLink ? "it is a symbolic link" : "it is not a directory";
        }
        else if (status.OwnerId != FileStatus.CurrentUserId)
        {
            reason = $"it belongs to user {status.OwnerId}, not to this process's user {FileStatus.CurrentUserId}";
        }
        else if ((status.Permissions & GroupOrOther) != 0)
        {
            reason = $"its group or others may use it (mode {Convert.ToString((int)status.Permissions, 8)}; chmod 700 it)";
        }
        else
        {
            return;
        }

        throw new TransportException($"{name} cannot listen on {path}: its directory {directory} is not this user's own: {reason}");
    }

    /// <summary>A socket file nothing listens on (its subscriber died) is removed; one a subscriber listens on is refused.</summary>
    private static void ReclaimIfStale(string path, string name, Action<string> log)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            // A local connect: it is answered or refused at once, never waits.
            probe.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.ConnectionRefused)
        {
            File.Delete(path);
            log($"{name} {path}: removed a stale socket file (nothing was listening on it)");
            return;
        }
        catch (SocketException exception)
        {
            throw new TransportException($"{name} cannot listen on {path}: the socket file there cannot be probed: {exception.SocketErrorCode}: {exception.Message}", exception);
        }

        throw new TransportException($"{name} cannot listen on {path}: another subscriber is listening on it");
    }
}
