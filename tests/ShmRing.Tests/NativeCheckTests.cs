using System.Diagnostics;
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
}
