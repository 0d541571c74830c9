using System.Net.Sockets;

namespace ShmIpc.NetTransports.Tests.UnixSockets;

/// <summary>
/// A directory of this test's own under /tmp, mode 0700 (so it meets UnixSocketPath's rule), with a fresh socket path
/// for each subscriber; removed with everything in it when disposed.
/// </summary>
internal sealed class TestSocketDirectory : IDisposable
{
    private int _next;

    public TestSocketDirectory()
    {
        Path = Directory.CreateTempSubdirectory("shmipc-uds-test-").FullName;
        File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Path { get; }

    public string NextPath() => System.IO.Path.Combine(Path, $"s{Interlocked.Increment(ref _next)}.sock");

    public UnixDomainSocketEndPoint NextEndPoint() => new(NextPath());

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
