using ShmIpc.ShmRing.Tests.Support;

namespace ShmIpc.ShmRing.Tests;

/// <summary>The ring's own answer to "is its file there" and "may it go": a dead creator and no live role.</summary>
public sealed class RingFilesTests
{
    [Fact]
    public void Exists_FollowsTheRingsFile()
    {
        string name = TestRing.UniqueName("exists");
        Assert.False(RingFiles.Exists(name));

        using (RingConsumer.Create(name, TestRing.Small()))
        {
            Assert.True(RingFiles.Exists(name));
        }

        Assert.False(RingFiles.Exists(name));
    }

    [Fact]
    public void RemoveIfAbandoned_WithoutAFile_FindsNothing()
    {
        Assert.Equal(RingFileRemoval.NotFound, RingFiles.RemoveIfAbandoned(TestRing.UniqueName("none")));
    }

    [Fact]
    public void RemoveIfAbandoned_KeepsARingWhoseCreatorIsAlive()
    {
        string name = TestRing.UniqueName("alive");
        using var consumer = RingConsumer.Create(name, TestRing.Small());

        Assert.Equal(RingFileRemoval.InUse, RingFiles.RemoveIfAbandoned(name));
        Assert.True(RingFiles.Exists(name));
    }

    [Fact]
    public void RemoveIfAbandoned_RemovesTheRingOfAKilledCreator()
    {
        string name = TestRing.UniqueName("killed");
        using (var creator = PeerProcess.Start(PeerProcess.Ring("create-and-sleep", name, TestRing.Small())))
        {
            creator.KillHard();
        }

        Assert.True(RingFiles.Exists(name));
        Assert.Equal(RingFileRemoval.Removed, RingFiles.RemoveIfAbandoned(name));
        Assert.False(RingFiles.Exists(name));
    }

    [Fact]
    public void RemoveIfAbandoned_KeepsADeadCreatorsRing_WhileALiveProducerIsAttached()
    {
        string name = TestRing.UniqueName("attached");
        RingOptions options = TestRing.Small();
        using (var creator = PeerProcess.Start(PeerProcess.Ring("create-and-sleep", name, options)))
        {
            creator.KillHard();
        }

        using (RingProducer.Attach(name, options))
        {
            Assert.Equal(RingFileRemoval.InUse, RingFiles.RemoveIfAbandoned(name));
            Assert.True(RingFiles.Exists(name));
        }

        // Detached now: nobody alive holds a role.
        Assert.Equal(RingFileRemoval.Removed, RingFiles.RemoveIfAbandoned(name));
        Assert.False(RingFiles.Exists(name));
    }

    [Fact]
    public void RemoveIfAbandoned_KeepsAFileThatIsNotARing()
    {
        string name = TestRing.UniqueName("foreign");
        File.WriteAllBytes(TestRing.PathOf(name), Enumerable.Repeat((byte)0x42, RingLayout.DataOffset).ToArray());
        try
        {
            Assert.Equal(RingFileRemoval.NotARing, RingFiles.RemoveIfAbandoned(name));
            Assert.True(RingFiles.Exists(name));
        }
        finally
        {
            File.Delete(TestRing.PathOf(name));
        }
    }

    [Theory]
    [InlineData("../etc")]
    [InlineData("")]
    public void BothRejectAnInvalidName(string name)
    {
        Assert.Throws<ArgumentException>(() => RingFiles.Exists(name));
        Assert.Throws<ArgumentException>(() => RingFiles.RemoveIfAbandoned(name));
    }
}
