using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using ShmIpc.NetTransports.Tcp;
using ShmIpc.NetTransports.Tests.UnixSockets;
using ShmIpc.NetTransports.UnixSockets;

namespace ShmIpc.NetTransports.Tests.StreamSockets;

/// <summary>
/// Where the kernel's copy of a received frame lands: when each frame is read before the next arrives, every recv()
/// starts a fresh receive segment, so every frame (its header first) starts on a 64-byte boundary.
/// </summary>
public sealed class ReceiveAlignmentTests
{
    private const int Frames = 40;

    public static TheoryData<string> Families => ["tcp", "unix"];

    [Theory]
    [MemberData(nameof(Families))]
    public async Task FramesReadOneAtATime_EachStartOnACacheLine(string family)
    {
        using var frameStarts = new BlockingCollection<long>();
        FrameHandler handler = (in ReadOnlySequence<byte> payload) =>
        {
            Assert.True(MemoryMarshal.TryGetArray(payload.First, out ArraySegment<byte> segment));
            frameStarts.Add(Marshal.UnsafeAddrOfPinnedArrayElement(segment.Array!, segment.Offset) - FrameHeader.Length);
        };

        using var directory = new TestSocketDirectory();
        await using IFrameSubscriber subscriber = family == "tcp"
            ? new TcpFrameSubscriber(handler, new SubscriberOptions { DedicatedReceiveThreads = true })
            : new UnixSocketFrameSubscriber(handler, new SubscriberOptions { EndPoint = directory.NextEndPoint(), DedicatedReceiveThreads = true });
        await subscriber.StartAsync();
        await using FramePublisher publisher = family == "tcp"
            ? FramePublisher.CreateTcp(((TcpFrameSubscriber)subscriber).EndPoint)
            : FramePublisher.CreateUnixSocket(((UnixSocketFrameSubscriber)subscriber).EndPoint);
        await publisher.ConnectAsync();

        var misaligned = new List<long>();
        for (int frame = 0; frame < Frames; frame++)
        {
            // Payload lengths that are no multiple of 64, so frames read back to back would drift off the boundary.
            int length = 15_857 + frame;
            await publisher.SendAsync(length, static (destination, length) =>
            {
                destination[..length].Fill(0x5A);
                BinaryPrimitives.WriteInt32LittleEndian(destination, length);
                return length;
            }, length);
            Assert.True(frameStarts.TryTake(out long start, TimeSpan.FromSeconds(10)), $"frame {frame} not received");
            if (start % ConnectionSegmentPool.Alignment != 0)
            {
                misaligned.Add(start % ConnectionSegmentPool.Alignment);
            }
        }

        Assert.True(misaligned.Count == 0, $"{misaligned.Count} of {Frames} frames started off a cache line (offsets {string.Join(", ", misaligned)})");
    }
}
