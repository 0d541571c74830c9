using System.Buffers;
using System.Net.Sockets;
using System.Text;
using ShmIpc.NetTransports.UnixSockets;

namespace ShmIpc.NetTransports.Tests.UnixSockets;

/// <summary>
/// The socket file's life (mode 0600, removed on dispose, a stale one reclaimed, a live one or a plain file refused)
/// and the one path rule (UnixSocketPath): each break of it is one TransportException naming it.
/// </summary>
public sealed class UnixSocketFileTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly TestSocketDirectory _directory = new();
    private readonly LogLines _log = new();

    [Fact]
    public async Task TheSocketFile_IsMode0600WhileListening_AndRemovedOnDispose()
    {
        string path = _directory.NextPath();
        await using (UnixSocketFrameSubscriber subscriber = Create(path))
        {
            await subscriber.StartAsync();
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        Assert.False(File.Exists(path), "the socket file outlived its subscriber");
    }

    [Fact]
    public async Task AStaleSocketFile_IsReclaimed_WithOneLogLine()
    {
        string path = _directory.NextPath();
        // A subscriber in another process killed with SIGKILL: its socket file is left with nothing listening.
        await KilledSubscriberProcess.ListenThenKillAsync(path);
        Assert.True(File.Exists(path), "the killed subscriber left no socket file: nothing stale to reclaim");
        await using UnixSocketFrameSubscriber subscriber = Create(path);
        await subscriber.StartAsync();
        await using IFramePublisher publisher = FramePublisher.CreateUnixSocket(subscriber.EndPoint);
        await publisher.ConnectAsync();
        Assert.Single(_log.All, line => line.Contains("removed a stale socket file", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ALiveSocket_IsRefused_AndKept()
    {
        string path = _directory.NextPath();
        await using UnixSocketFrameSubscriber first = Create(path);
        await first.StartAsync();
        await using UnixSocketFrameSubscriber second = Create(path);
        var exception = await Assert.ThrowsAsync<TransportException>(() => second.StartAsync());
        Assert.Contains("another subscriber is listening on it", exception.Message, StringComparison.Ordinal);
        await second.DisposeAsync();
        Assert.True(File.Exists(path), "the refused subscriber removed the live one's socket file");
        await using IFramePublisher publisher = FramePublisher.CreateUnixSocket(first.EndPoint);
        await publisher.ConnectAsync();
    }

    [Fact]
    public async Task AFileThatIsNotASocket_IsRefused_AndNotRemoved()
    {
        string path = _directory.NextPath();
        await File.WriteAllTextAsync(path, "precious");
        await using UnixSocketFrameSubscriber subscriber = Create(path);
        var exception = await Assert.ThrowsAsync<TransportException>(() => subscriber.StartAsync());
        Assert.Contains("not a socket", exception.Message, StringComparison.Ordinal);
        Assert.Equal("precious", await File.ReadAllTextAsync(path));
    }

    [Theory]
    [InlineData(UnixFileMode.GroupRead | UnixFileMode.GroupExecute, "its group or others may use it")]
    [InlineData(UnixFileMode.OtherWrite | UnixFileMode.OtherExecute, "its group or others may use it")]
    public async Task ADirectoryOthersMayUse_IsRefused(UnixFileMode extra, string expected)
    {
        string shared = Path.Combine(_directory.Path, "shared");
        Directory.CreateDirectory(shared);
        File.SetUnixFileMode(shared, OwnerOnly | extra);
        await using UnixSocketFrameSubscriber subscriber = Create(Path.Combine(shared, "s.sock"));
        var exception = await Assert.ThrowsAsync<TransportException>(() => subscriber.StartAsync());
        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADirectoryThatIsASymbolicLink_IsRefused()
    {
        string target = Path.Combine(_directory.Path, "target");
        Directory.CreateDirectory(target);
        File.SetUnixFileMode(target, OwnerOnly);
        string link = Path.Combine(_directory.Path, "link");
        Directory.CreateSymbolicLink(link, target);
        await using UnixSocketFrameSubscriber subscriber = Create(Path.Combine(link, "s.sock"));
        var exception = await Assert.ThrowsAsync<TransportException>(() => subscriber.StartAsync());
        Assert.Contains("it is a symbolic link", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APathOfTheMostBytesASocketAddressHolds_Works_AndOneMoreIsRefused()
    {
        string longest = PathOfBytes(UnixSocketPath.MaxPathBytes);
        await using (UnixSocketFrameSubscriber subscriber = new((in ReadOnlySequence<byte> _) => { }, new SubscriberOptions { EndPoint = UnixSocketPath.ToEndPoint(longest), Log = _log.Sink }))
        {
            await subscriber.StartAsync();
            Assert.True(File.Exists(longest));
        }

        var exception = Assert.Throws<TransportException>(() => UnixSocketPath.ToEndPoint(PathOfBytes(UnixSocketPath.MaxPathBytes + 1)));
        Assert.Contains("108 bytes long, more than the 107", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("relative/s.sock", "not an absolute path")]
    [InlineData("/tmp/with\nnewline.sock", "control character (U+000A)")]
    [InlineData("/tmp/dir/", "names a directory")]
    public void ABadPath_IsOneTransportExceptionNamingWhatIsWrong(string path, string expected)
    {
        var exception = Assert.Throws<TransportException>(() => UnixSocketPath.ToEndPoint(path));
        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadPathGivenAsAnEndPoint_IsRefusedWhenTheSubscriberStarts()
    {
        // UnixDomainSocketEndPoint itself takes a relative path; the subscriber's start applies the rule all the same.
        await using UnixSocketFrameSubscriber subscriber = new((in ReadOnlySequence<byte> _) => { }, new SubscriberOptions { EndPoint = new UnixDomainSocketEndPoint("relative.sock"), Log = _log.Sink });
        var exception = await Assert.ThrowsAsync<TransportException>(() => subscriber.StartAsync());
        Assert.Contains("not an absolute path", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDefaultDirectory_IsTheUsersOwn_AndHoldsAWorkingSocket()
    {
        UnixDomainSocketEndPoint endPoint = UnixSocketPath.InDefaultDirectory($"test-{Environment.ProcessId}-{Guid.NewGuid():N}.sock");
        Assert.StartsWith(UnixSocketPath.DefaultDirectory + "/", endPoint.ToString(), StringComparison.Ordinal);
        await using var subscriber = new UnixSocketFrameSubscriber((in ReadOnlySequence<byte> _) => { }, new SubscriberOptions { EndPoint = endPoint, Log = _log.Sink });
        await subscriber.StartAsync();
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(UnixSocketPath.DefaultDirectory) & (OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute));
    }

    public void Dispose() => _directory.Dispose();

    private UnixSocketFrameSubscriber Create(string path) =>
        new((in ReadOnlySequence<byte> _) => { }, new SubscriberOptions { EndPoint = new UnixDomainSocketEndPoint(path), Log = _log.Sink });

    /// <summary>A path in the test's directory exactly <paramref name="bytes"/> UTF-8 bytes long.</summary>
    private string PathOfBytes(int bytes)
    {
        string prefix = _directory.Path + "/";
        return prefix + new string('x', bytes - Encoding.UTF8.GetByteCount(prefix));
    }
}
