using System.Buffers.Binary;
using System.Diagnostics;
using ShmIpc.ShmRing.Tests.Support;

namespace ShmIpc.ShmRing.Tests;

/// <summary>
/// truncate(1) on a ring file that other processes have mapped: where the ring checks the file size (attach, every peer
/// check) it fails with RingException naming the file and both sizes instead of dying of SIGBUS. docs/reliability.md
/// says where it cannot (a party touching the data region between two checks).
/// </summary>
public sealed class RingSegmentTruncationTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(RingKind.SingleProducer)]
    [InlineData(RingKind.MultiProducer)]
    public void AProducerWaitingForSpace_FailsWithTruncated_NamingTheFileAndSizes(RingKind kind)
    {
        string name = TestRing.UniqueName("truncate-producer");
        RingOptions options = TestRing.Small(kind);
        string path = TestRing.PathOf(name);
        try
        {
            // A consumer that never reads: the producer fills the ring and waits for space (touching the header only).
            using var consumer = PeerProcess.Start(PeerProcess.Ring("create-and-sleep", name, options));
            using var producer = PeerProcess.Start(PeerProcess.Ring("produce", name, options, 1, -1, 5));
            WaitUntilProducerWaitsForSpace(path);

            TestRing.Truncate(name, RingLayout.DataOffset);

            string? line = producer.NextLine(Patience);
            Assert.Equal(3, producer.WaitForExit(Patience));
            Assert.StartsWith("ring-error Truncated:", line, StringComparison.Ordinal);
            Assert.Contains(path, line, StringComparison.Ordinal);
            Assert.Contains($"is {RingLayout.DataOffset} bytes", line, StringComparison.Ordinal);
            Assert.Contains($"{RingLayout.DataOffset + options.Capacity} bytes mapped", line, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AttachingToATruncatedRing_FailsNamingTheFileAndSizes()
    {
        string name = TestRing.UniqueName("truncate-attach");
        RingOptions options = TestRing.Small();
        string path = TestRing.PathOf(name);
        try
        {
            using var creator = PeerProcess.Start(PeerProcess.Ring("create-and-sleep", name, options));
            TestRing.Truncate(name, RingLayout.DataOffset + 4096);

            RingException error = Assert.Throws<RingException>(() => RingProducer.Attach(name, options));
            Assert.Equal(RingError.FormatMismatch, error.Error);
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            Assert.Contains($"{RingLayout.DataOffset + 4096} bytes", error.Message, StringComparison.Ordinal);
            Assert.Contains($"{RingLayout.DataOffset + options.Capacity}", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// Waits until the producer's position stands still while slot 0's heartbeat moves: it is in its wait-for-space loop,
    /// which writes the heartbeat at each peer check (read with pread, never mapped: this process must not fault).
    /// </summary>
    private static void WaitUntilProducerWaitsForSpace(string path)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < Patience)
        {
            (long position, long heartbeat) = ReadProgress(path);
            Thread.Sleep(100);
            (long laterPosition, long laterHeartbeat) = ReadProgress(path);
            if (position != 0 && position == laterPosition && heartbeat != laterHeartbeat)
            {
                return;
            }
        }

        Assert.Fail("the producer never waited for space");
    }

    private static (long Position, long Heartbeat) ReadProgress(string path)
    {
        Span<byte> header = stackalloc byte[RingLayout.ProducerSlotsOffset + RingLayout.ProducerSlotLength];
        using Microsoft.Win32.SafeHandles.SafeFileHandle handle = File.OpenHandle(path);
        Assert.Equal(header.Length, RandomAccess.Read(handle, header, 0));
        return (
            BinaryPrimitives.ReadInt64LittleEndian(header[RingLayout.ProducerPositionOffset..]),
            BinaryPrimitives.ReadInt64LittleEndian(header[(RingLayout.ProducerSlotsOffset + RingLayout.SlotHeartbeatOffset)..]));
    }
}
