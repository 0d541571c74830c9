using System.Diagnostics;
using System.Globalization;
using ShmIpc.ShmRing.Tests.Support;

namespace ShmIpc.ShmRing.Tests;

/// <summary>
/// native-check/ring_check.c is written from docs/ring-layout.md alone. It reads what .NET writes and writes what
/// .NET reads: the layout document is a working contract, not a description.
/// </summary>
public sealed class NativeCheckTests
{
    private const int Records = 20_000;
    private static readonly Lazy<string> RingCheck = new(BuildRingCheck);

    [Theory]
    [InlineData(RingKind.SingleProducer)]
    [InlineData(RingKind.MultiProducer)]
    public void CProgram_ReadsAndVerifiesRecordsWrittenByDotNet(RingKind kind)
    {
        string name = TestRing.UniqueName("native-read");
        RingOptions options = TestRing.Small(kind) with { Capacity = 256 * 1024, MaxRecordSize = 16384 };
        using var producer = RingProducer.Create(name, options);
        using Process reader = StartRingCheck("read", name, options);
        var random = new Random(1);

        for (ulong sequence = 0; sequence < Records; sequence++)
        {
            int length = random.Next(ChecksummedRecord.MinLength, options.MaxRecordSize + 1);
            Assert.Equal(RingWriteStatus.Success, producer.Claim(length, TimeSpan.FromSeconds(30), out RingClaim claim));
            ChecksummedRecord.Fill(claim.Destination[..length], sequence);
            claim.Commit(length, recordType: 1);
        }

        Assert.True(reader.WaitForExit(TimeSpan.FromSeconds(60)), "ring_check read did not finish");
        Assert.True(reader.ExitCode == 0, $"ring_check read failed: {reader.StandardError.ReadToEnd()}");
        Assert.Equal($"read {Records} records ok", reader.StandardOutput.ReadLine());
    }

    [Theory]
    [InlineData(SlowConsumerPolicy.Lossless)]
    [InlineData(SlowConsumerPolicy.Lossy)]
    public void CProgram_AsTwoBroadcastConsumers_EachReadsEveryRecordWrittenByDotNet(SlowConsumerPolicy policy)
    {
        string name = TestRing.UniqueName("native-broadcast");
        RingOptions options = TestRing.Small(RingKind.Broadcast) with { Capacity = 256 * 1024, MaxRecordSize = 16384, SlowConsumer = policy };
        using var producer = RingProducer.Create(name, options);
        using Process first = StartRingCheck("read", name, options);
        using Process second = StartRingCheck("read", name, options);
        try
        {
            ReadBroadcastFromTwoCReaders(name, options, policy, producer, first, second);
        }
        finally
        {
            // A reader that failed must not spin on after the test.
            foreach (Process reader in new[] { first, second })
            {
                if (!reader.HasExited)
                {
                    reader.Kill();
                }
            }
        }
    }

    private static void ReadBroadcastFromTwoCReaders(string name, RingOptions options, SlowConsumerPolicy policy, RingProducer producer, Process first, Process second)
    {
        WaitForJoins(name, 2);
        var random = new Random(3);
        for (ulong sequence = 0; sequence < Records; sequence++)
        {
            int length = random.Next(ChecksummedRecord.MinLength, options.MaxRecordSize + 1);
            Assert.Equal(RingWriteStatus.Success, producer.Claim(length, TimeSpan.FromSeconds(30), out RingClaim claim));
            ChecksummedRecord.Fill(claim.Destination[..length], sequence);
            claim.Commit(length, recordType: 1);
        }

        foreach (Process reader in new[] { first, second })
        {
            Assert.True(reader.WaitForExit(TimeSpan.FromSeconds(60)), "ring_check read did not finish");
            Assert.True(reader.ExitCode == 0, $"ring_check read failed: {reader.StandardError.ReadToEnd()}");
            string line = reader.StandardOutput.ReadLine() ?? "";
            if (policy == SlowConsumerPolicy.Lossless)
            {
                // Lossless: the producer waited for both; each got every record, in order, intact.
                Assert.Equal($"read {Records} records ok, 0 missed", line);
            }
            else
            {
                // Lossy: the producer never waited; whatever a reader was lapped on it counted, and delivered + missed = all.
                System.Text.RegularExpressions.Match counts = System.Text.RegularExpressions.Regex.Match(line, @"^read (\d+) records ok, (\d+) missed$");
                Assert.True(counts.Success, line);
                Assert.Equal(Records, long.Parse(counts.Groups[1].Value, CultureInfo.InvariantCulture) + long.Parse(counts.Groups[2].Value, CultureInfo.InvariantCulture));
            }
        }
    }

    [Fact]
    public void DotNet_ReadsAndVerifiesRecordsWrittenByTheCProgram()
    {
        string name = TestRing.UniqueName("native-write");

        // A consumer that sleeps on the futex: the C producer must wake it as the layout document says. A missed
        // wake would cost a whole 3 s sleep budget each time the ring runs dry, and the test would run out of time.
        RingOptions options = TestRing.Small() with
        {
            Capacity = 256 * 1024,
            MaxRecordSize = 16384,
            WaitStrategy = RingWaitStrategy.SpinThenBlock,
            PeerCheckInterval = TimeSpan.FromSeconds(3),
        };
        using var consumer = RingConsumer.Create(name, options);
        using Process writer = StartRingCheck("write", name, options);

        for (ulong sequence = 0; sequence < Records; sequence++)
        {
            Assert.Equal(RingReadStatus.Record, consumer.Read(out RingRecord record, TimeSpan.FromSeconds(30)));
            Assert.True(ChecksummedRecord.IsValid(record.Payload, sequence), $"record {sequence} from C failed its checksum or sequence");
            Assert.Equal(7, record.Type);
            consumer.Release();
        }

        Assert.True(writer.WaitForExit(TimeSpan.FromSeconds(60)), "ring_check write did not finish");
        Assert.True(writer.ExitCode == 0, $"ring_check write failed: {writer.StandardError.ReadToEnd()}");

        // The C producer detached cleanly: the .NET consumer sees peer-gone (at its next peer check).
        Assert.Equal(RingReadStatus.PeerGone, consumer.Read(out _, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void CProgram_AsSuccessor_KeepsARecordCommittedWithoutItsPositionStore()
    {
        string name = TestRing.UniqueName("native-recover");
        RingOptions options = TestRing.Small() with { Capacity = 256 * 1024, MaxRecordSize = 16384 };
        using var consumer = RingConsumer.Create(name, options);

        // A .NET producer killed between its commit and its position store ("SPSC protocol", recovery).
        using var killed = RingProducer.Attach(name, options);
        RingStepHooks.Current = new KillAtCommit(killed);
        try
        {
            Assert.Throws<ProducerKilledException>(() => killed.TryWrite(new byte[] { 4, 5, 6 }, recordType: 3));
        }
        finally
        {
            RingStepHooks.Current = null;
        }

        using Process writer = StartRingCheck("write", name, options);
        Assert.Equal(RingReadStatus.Record, consumer.Read(out RingRecord first, TimeSpan.FromSeconds(30)));
        Assert.Equal(3, first.Type);
        Assert.Equal(new byte[] { 4, 5, 6 }, first.Payload.ToArray());
        consumer.Release();
        for (ulong sequence = 0; sequence < Records; sequence++)
        {
            Assert.Equal(RingReadStatus.Record, consumer.Read(out RingRecord record, TimeSpan.FromSeconds(30)));
            Assert.True(ChecksummedRecord.IsValid(record.Payload, sequence), $"record {sequence} from C failed its checksum or sequence");
            consumer.Release();
        }

        Assert.True(writer.WaitForExit(TimeSpan.FromSeconds(60)), "ring_check write did not finish");
        Assert.True(writer.ExitCode == 0, $"ring_check write failed: {writer.StandardError.ReadToEnd()}");
    }

    [Fact]
    public void CProgram_RefusesARingWhoseMaxRecordSizeBreaksTheRule()
    {
        string name = TestRing.UniqueName("native-maxrecord");
        RingOptions options = TestRing.Small();
        using var producer = RingProducer.Create(name, options);

        // 64 + round_up(max, 64) must be at most capacity / 2: a C creator could write this header, .NET never does.
        uint tooLarge = (uint)(options.Capacity / 2);
        TestRing.PokeUInt32(name, RingLayout.MaxRecordSizeOffset, tooLarge);
        using Process reader = StartRingCheck("read", name, options with { MaxRecordSize = (int)tooLarge });

        Assert.True(reader.WaitForExit(TimeSpan.FromSeconds(60)), "ring_check read did not finish");
        Assert.Equal(1, reader.ExitCode);
        Assert.Contains("breaks the rule", reader.StandardError.ReadToEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void CProgram_WaitingConsumer_StopsAtATruncatedFile_NamingItAndTheSizes()
    {
        string name = TestRing.UniqueName("native-truncate");
        RingOptions options = TestRing.Small();
        long truncatedLength = RingLayout.DataOffset + options.Capacity - RingLayout.PageLength;
        try
        {
            using var producer = RingProducer.Create(name, options);
            using Process reader = StartRingCheck("read", name, options);
            WaitForConsumerOwner(name);

            // The C reader polls the tag of its record at the data region's start: cut only the end, so that it lives to check.
            TestRing.Truncate(name, truncatedLength);

            Assert.True(reader.WaitForExit(TimeSpan.FromSeconds(60)), "ring_check read did not stop");
            Assert.Equal(1, reader.ExitCode);
            string error = reader.StandardError.ReadToEnd();
            Assert.Contains($"{TestRing.PathOf(name)} is {truncatedLength} bytes", error, StringComparison.Ordinal);
            Assert.Contains($"{RingLayout.DataOffset + options.Capacity} mapped", error, StringComparison.Ordinal);
        }
        finally
        {
            // The creator does not unlink a truncated file (it cannot prove it is still its own).
            File.Delete(TestRing.PathOf(name));
        }
    }

    /// <summary>Waits until the broadcast ring's join counter ("Broadcast (kind 3)", offset 904) reaches <paramref name="count"/>.</summary>
    private static void WaitForJoins(string name, long count) =>
        WaitForWord(name, ShmIpc.ShmRing.Broadcast.BroadcastLayout.JoinsOffset, word => (long)word >= count, $"ring_check never joined {count} times");

    private static void WaitForConsumerOwner(string name) =>
        WaitForWord(name, RingLayout.ConsumerOwnerOffset, word => word != 0, "ring_check never took the consumer role");

    /// <summary>Polls the u64 at <paramref name="offset"/> of the ring's file until <paramref name="holds"/>; fails with <paramref name="never"/> after 30 s.</summary>
    private static void WaitForWord(string name, long offset, Func<ulong, bool> holds, string never)
    {
        var waited = Stopwatch.StartNew();
        byte[] word = new byte[sizeof(ulong)];
        while (waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            using (Microsoft.Win32.SafeHandles.SafeFileHandle handle = File.OpenHandle(TestRing.PathOf(name)))
            {
                _ = RandomAccess.Read(handle, word, offset);
            }

            if (holds(BitConverter.ToUInt64(word)))
            {
                return;
            }

            Thread.Sleep(10);
        }

        Assert.Fail(never);
    }

    private static Process StartRingCheck(string command, string name, RingOptions options)
    {
        var start = new ProcessStartInfo(RingCheck.Value)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { command, name, $"{(int)options.Kind}", $"{options.Capacity}", $"{options.MaxRecordSize}", $"{Records}" })
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("cannot start ring_check");
    }

    /// <summary>Configures and builds native-check with CMake into native-check/build (incremental after the first time).</summary>
    private static string BuildRingCheck()
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "ShmIpc.sln")))
        {
            root = Path.GetDirectoryName(root.TrimEnd('/')) ?? throw new InvalidOperationException("ShmIpc.sln not found above the test directory");
        }

        string source = Path.Combine(root, "native-check");
        string build = Path.Combine(source, "build");
        Run("cmake", "-S", source, "-B", build, "-DCMAKE_BUILD_TYPE=Release");
        Run("cmake", "--build", build);
        return Path.Combine(build, "ring_check");
    }

    private static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed: {output}");
        }
    }

    private sealed class KillAtCommit(RingProducer producer) : IRingStepHook
    {
        public void At(RingStep step, long position)
        {
            if (step == RingStep.ProducerCommitted)
            {
                DeadOwner.Kill(producer);
                throw new ProducerKilledException();
            }
        }
    }

    private sealed class ProducerKilledException : Exception;
}
