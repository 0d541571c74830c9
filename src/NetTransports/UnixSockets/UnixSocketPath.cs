using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace ShmIpc.NetTransports.UnixSockets;

/// <summary>
/// Where a Unix domain socket may live, the one rule: an absolute path of at most <see cref="MaxPathBytes"/> UTF-8
/// bytes (sun_path is 108 bytes with its terminating NUL), no control characters, in a directory the user owns that
/// no one else may enter (owner = this process's user, no group or other permission bits; not a symbolic link).
/// The socket file itself is made mode 0600. A subscriber checks this when it starts; a path that breaks it is a
/// <see cref="TransportException"/> saying which part. <see cref="DefaultDirectory"/> is such a directory.
/// </summary>
public static class UnixSocketPath
{
    /// <summary>The longest path a Unix socket address holds, in UTF-8 bytes: sun_path's 108 less the terminating NUL.</summary>
    public const int MaxPathBytes = 107;

    /// <summary>
    /// Where sockets go when no directory is given: <c>$XDG_RUNTIME_DIR/shmipc</c> when XDG_RUNTIME_DIR names an
    /// absolute path (the per-user runtime directory a login session provides), otherwise <c>/tmp/shmipc-UID</c>
    /// (UID: the effective user id). A subscriber creates it, mode 0700, if it does not exist.
    /// </summary>
    public static string DefaultDirectory
    {
        get
        {
            string? runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
            return !string.IsNullOrEmpty(runtime) && Path.IsPathFullyQualified(runtime)
                ? Path.Combine(runtime, "shmipc")
                : string.Create(CultureInfo.InvariantCulture, $"/tmp/shmipc-{FileStatus.CurrentUserId}");
        }
    }

    /// <summary>
    /// The end point of socket <paramref name="fileName"/> (a file name, no directory) in <see cref="DefaultDirectory"/>.
    /// Throws <see cref="TransportException"/> if the path breaks the rule.
    /// </summary>
    public static UnixDomainSocketEndPoint InDefaultDirectory(string fileName)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        if (fileName.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{fileName}' is a path, not a file name", nameof(fileName));
        }

        return ToEndPoint(Path.Combine(DefaultDirectory, fileName));
    }

    /// <summary>The end point of the socket at <paramref name="path"/>; <see cref="TransportException"/> if the path breaks the rule.</summary>
    public static UnixDomainSocketEndPoint ToEndPoint(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Problem(path) is string problem)
        {
            throw new TransportException($"'{path}' is not a usable Unix socket path: {problem}");
        }

        return new UnixDomainSocketEndPoint(path);
    }

    /// <summary>What is wrong with <paramref name="path"/> as a socket path (length, characters, form); null if nothing is.</summary>
    internal static string? Problem(string path)
    {
        if (!Path.IsPathFullyQualified(path))
        {
            return "not an absolute path (an abstract socket or a relative path is not accepted)";
        }

        if (path.EndsWith('/'))
        {
            return "it names a directory, not a file";
        }

        foreach (char character in path)
        {
            if (char.IsControl(character))
            {
                return string.Create(CultureInfo.InvariantCulture, $"it holds a control character (U+{(int)character:X4})");
            }
        }

        int bytes = Encoding.UTF8.GetByteCount(path);
        return bytes > MaxPathBytes
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes long, more than the {MaxPathBytes} a Unix socket address holds")
            : null;
    }
}
