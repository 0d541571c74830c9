using ShmIpc.ShmRing.Tests.Support;

namespace ShmIpc.ShmRing.Tests;

/// <summary>
/// Faults of the machine rather than of a peer, each in a real process: a /dev/shm with no room for the segment
/// (a private 1 MiB tmpfs mounted over /dev/shm in a mount namespace of the peer's own) and a user the segment's
/// mode does not admit (nobody). Each ends in one RingException line, never SIGBUS or an unhandled exception.
/// </summary>
public sealed class RingSegmentEnvironmentTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [MountNamespaceFact]
    public void CreatingOnAFullDevShm_FailsWithNoSpace_NamingTheSize_AndLeavesNoFile()
    {
        var options = new RingOptions { Kind = RingKind.SingleProducer, Capacity = 4 << 20, MaxRecordSize = 64 << 10 };
        long needed = RingLayout.DataOffset + options.Capacity;

        // The shell lists what is left in its /dev/shm after the peer: nothing, if the failed create cleaned up.
        string[] launcher =
        [
            .. MountNamespaceFactAttribute.Unshare,
            "sh", "-c", "mount -t tmpfs -o size=1m shmipc-test /dev/shm && { \"$@\"; code=$?; ls -A /dev/shm; exit $code; }", "sh",
        ];
        (int exitCode, string output, string errors) = PeerProcess.RunUnder(launcher, Patience, PeerProcess.Ring("create-and-sleep", "full", options));

        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(exitCode == 3, $"exit code {exitCode}; stdout: {output}; stderr: {errors}");
        Assert.Single(lines);
        Assert.StartsWith("ring-error NoSpace:", lines[0], StringComparison.Ordinal);
        Assert.Contains($"cannot allocate {needed} bytes for /dev/shm/shmring.full", lines[0], StringComparison.Ordinal);
        Assert.Contains("1048576 bytes are free", lines[0], StringComparison.Ordinal);
        Assert.Empty(errors);
    }

    [RootTheory]
    [InlineData("attach-consumer-and-sleep", "may not open it for reading and writing (mode 0600")]
    [InlineData("create-and-sleep", "may not read it (mode 0600)")]
    public void AnotherUser_IsDenied_WithAccessDenied(string command, string expected)
    {
        string name = TestRing.UniqueName("other-user");
        RingOptions options = TestRing.Small(RingKind.SingleProducer);
        using var owner = PeerProcess.Start(PeerProcess.Ring("create-and-sleep", name, options));
        try
        {
            string[] asNobody = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "env", "HOME=/tmp", "DOTNET_CLI_HOME=/tmp"];
            (int exitCode, string output, string errors) = PeerProcess.RunUnder(asNobody, Patience, PeerProcess.Ring(command, name, options));

            Assert.True(exitCode == 3, $"exit code {exitCode}; stdout: {output}; stderr: {errors}");
            Assert.StartsWith("ring-error AccessDenied:", output, StringComparison.Ordinal);
            Assert.Contains(expected, output, StringComparison.Ordinal);
            Assert.True(File.Exists(TestRing.PathOf(name)), "the owner's segment is still there");
        }
        finally
        {
            // The owner sleeps until killed, so nothing unlinks its segment: reclaim it as any user of a dead creator would.
            owner.KillHard();
            _ = RingFiles.RemoveIfAbandoned(name);
        }
    }
}
