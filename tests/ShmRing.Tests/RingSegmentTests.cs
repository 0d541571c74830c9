using ShmIpc.ShmRing.Tests.Support;

namespace ShmIpc.ShmRing.Tests;

public sealed class RingSegmentTests
{
    [Fact]
    public void Create_MakesFileWithMode0600ByDefault()
    {
        string name = TestRing.UniqueName("mode");
        using var consumer = RingConsumer.Create(name, TestRing.Small());

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(TestRing.PathOf(name)));
    }

    [Fact]
    public void Create_MakesFileWithMode0660WhenAsked()
    {
        string name = TestRing.UniqueName("mode660");
        using var consumer = RingConsumer.Create(name, TestRing.Small() with { FileAccess = RingFileAccess.OwnerAndGroup });

        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite,
            File.GetUnixFileMode(TestRing.PathOf(name)));
    }

    [Fact]
    public void Dispose_UnlinksTheCreatorsFileUnlessKept()
    {
        string name = TestRing.UniqueName("unlink");
        RingConsumer.Create(name, TestRing.Small()).Dispose();
        Assert.False(File.Exists(TestRing.PathOf(name)));

        string kept = TestRing.UniqueName("keep");
        RingConsumer.Create(kept, TestRing.Small() with { KeepSegmentOnDispose = true }).Dispose();
        Assert.True(File.Exists(TestRing.PathOf(kept)));
        File.Delete(TestRing.PathOf(kept));
    }

    [Fact]
    public void Create_RefusesWhenTheCreatorIsAlive()
    {
        string name = TestRing.UniqueName("exists");
        using var first = RingConsumer.Create(name, TestRing.Small());

        var error = Assert.Throws<RingException>(() => RingProducer.Create(name, TestRing.Small()));

        Assert.Equal(RingError.SegmentExists, error.Error);
        Assert.Contains($"pid {Environment.ProcessId} is alive", error.Message, StringComparison.Ordinal);
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Attach_FailsWhenNoSegmentExists()
    {
        var error = Assert.Throws<RingException>(() => RingConsumer.Attach(TestRing.UniqueName("missing"), TestRing.Small()));
        Assert.Equal(RingError.SegmentNotFound, error.Error);
    }

    [Theory]
    [InlineData("kind")]
    [InlineData("capacity")]
    [InlineData("max record size")]
    public void Attach_RejectsOptionsThatDifferFromTheHeader(string field)
    {
        string name = TestRing.UniqueName("mismatch");
        RingOptions options = TestRing.Small();
        using var consumer = RingConsumer.Create(name, options);
        RingOptions wrong = field switch
        {
            "kind" => options with { Kind = RingKind.MultiProducer },
            "capacity" => options with { Capacity = options.Capacity * 2 },
            _ => options with { MaxRecordSize = options.MaxRecordSize - 1 },
        };

        var error = Assert.Throws<RingException>(() => RingProducer.Attach(name, wrong));

        Assert.Equal(RingError.FormatMismatch, error.Error);
        Assert.Contains($"'{name}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Attach_RejectsAnotherLayoutVersion()
    {
        string name = TestRing.UniqueName("version");
        using var consumer = RingConsumer.Create(name, TestRing.Small());
        TestRing.PokeUInt32(name, RingLayout.VersionOffset, 2);

        var error = Assert.Throws<RingException>(() => RingProducer.Attach(name, TestRing.Small()));

        Assert.Equal(RingError.FormatMismatch, error.Error);
        Assert.Contains("layout version is 2, expected 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Attach_RejectsWrongMagicAndTooSmallFile()
    {
        string name = TestRing.UniqueName("foreign");
        string path = TestRing.PathOf(name);
        try
        {
            File.WriteAllBytes(path, new byte[100]);
            var tooSmall = Assert.Throws<RingException>(() => RingConsumer.Attach(name, TestRing.Small()));
            Assert.Contains("smaller than the", tooSmall.Message, StringComparison.Ordinal);

            byte[] foreign = new byte[RingLayout.DataOffset + TestRing.Small().Capacity];
            foreign.AsSpan().Fill(0x42);
            File.WriteAllBytes(path, foreign);
            var wrongMagic = Assert.Throws<RingException>(() => RingConsumer.Attach(name, TestRing.Small()));
            Assert.Equal(RingError.FormatMismatch, wrongMagic.Error);
            Assert.Contains("magic", wrongMagic.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Create_ReclaimsTheSegmentOfADeadCreator()
    {
        string name = TestRing.UniqueName("stale");
        RingOptions options = TestRing.Small();
        using (var creator = PeerProcess.Start(PeerProcess.Ring("create-and-sleep", name, options)))
        {
            creator.KillHard();
        }

        Assert.True(File.Exists(TestRing.PathOf(name)));
        using var consumer = RingConsumer.Create(name, options);
        using var producer = RingProducer.Attach(name, options);
        Assert.True(producer.TryWrite([1, 2, 3]));
        Assert.True(consumer.TryRead(out RingRecord record));
        Assert.Equal([1, 2, 3], record.Payload.ToArray());
    }

    [Fact]
    public void Create_RefusesTheSegmentOfADeadCreatorWhenAskedAndNamesThePid()
    {
        string name = TestRing.UniqueName("refuse");
        RingOptions options = TestRing.Small();
        int deadPid;
        using (var creator = PeerProcess.Start(PeerProcess.Ring("create-and-sleep", name, options)))
        {
            deadPid = creator.Id;
            creator.KillHard();
        }

        try
        {
            var error = Assert.Throws<RingException>(() => RingConsumer.Create(name, options with { StaleSegment = StaleSegmentPolicy.Refuse }));
            Assert.Equal(RingError.StaleSegment, error.Error);
            Assert.Contains($"creator pid {deadPid}, which is dead", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(TestRing.PathOf(name));
        }
    }

    [Fact]
    public void ACreatorThatDiedWhileInitializing_IsReportedOnAttachAndReclaimedOnCreate()
    {
        string name = TestRing.UniqueName("half-made");
        RingOptions options = TestRing.Small();
        byte[] halfMade = new byte[RingLayout.DataOffset + options.Capacity];
        BitConverter.GetBytes(0x3FFF_FFFF).CopyTo(halfMade, RingLayout.CreatorPidOffset); // no such pid; magic still 0
        File.WriteAllBytes(TestRing.PathOf(name), halfMade);

        var error = Assert.Throws<RingException>(() => RingConsumer.Attach(name, options));
        Assert.Equal(RingError.FormatMismatch, error.Error);
        Assert.Contains("not an initialized ring segment", error.Message, StringComparison.Ordinal);

        using var consumer = RingConsumer.Create(name, options);
        using var producer = RingProducer.Attach(name, options);
        Assert.True(producer.TryWrite([1]));
    }

    [Fact]
    public void Create_RefusesAForeignFileOfTheSameName()
    {
        string name = TestRing.UniqueName("foreign-create");
        File.WriteAllBytes(TestRing.PathOf(name), Enumerable.Repeat((byte)0x42, 4096).ToArray());
        try
        {
            var error = Assert.Throws<RingException>(() => RingConsumer.Create(name, TestRing.Small()));
            Assert.Equal(RingError.SegmentExists, error.Error);
            Assert.Contains("not a ring segment", error.Message, StringComparison.Ordinal);
            Assert.True(File.Exists(TestRing.PathOf(name)));
        }
        finally
        {
            File.Delete(TestRing.PathOf(name));
        }
    }

    [Fact]
    public void Attach_SecondLiveConsumerIsRefused()
    {
        string name = TestRing.UniqueName("role");
        using var consumer = RingConsumer.Create(name, TestRing.Small());

        var error = Assert.Throws<RingException>(() => RingConsumer.Attach(name, TestRing.Small()));

        Assert.Equal(RingError.RoleTaken, error.Error);
    }

    [Fact]
    public void Attach_SecondLiveSpscProducerIsRefused_AndTheRoleIsFreeAgainAfterDispose()
    {
        string name = TestRing.UniqueName("producer-role");
        using var consumer = RingConsumer.Create(name, TestRing.Small());
        var first = RingProducer.Attach(name, TestRing.Small());
        Assert.True(first.TryWrite([1]));

        var error = Assert.Throws<RingException>(() => RingProducer.Attach(name, TestRing.Small()));
        Assert.Equal(RingError.RoleTaken, error.Error);
        Assert.Contains($"live pid {Environment.ProcessId}", error.Message, StringComparison.Ordinal);

        first.Dispose();
        using var second = RingProducer.Attach(name, TestRing.Small());
        Assert.True(second.TryWrite([2]));
        Assert.True(consumer.TryRead(out RingRecord one));
        Assert.Equal([1], one.Payload.ToArray());
        consumer.Release();
        Assert.True(consumer.TryRead(out RingRecord two));
        Assert.Equal([2], two.Payload.ToArray());
    }
}
