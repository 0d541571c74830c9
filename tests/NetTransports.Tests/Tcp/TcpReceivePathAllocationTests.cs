using System.Buffers;
using System.Buffers.Binary;
using ShmIpc.NetTransports.Tcp;
using Xunit.Abstractions;

namespace ShmIpc.NetTransports.Tests.Tcp;

/// <summary>Bytes allocated per 16 KiB frame on the TCP transport's receive path, after a warm-up.</summary>
public sealed class TcpReceivePathAllocationTests(ITestOutputHelper output)
{
    private const int WarmUpFrames = 2_000;
    private const int MeasuredFrames = 10_000;

    [Fact]
    public async Task DedicatedReceiveThread_AllocatesNothingPerFrame()
    {
        // The whole receive loop runs on one thread here, so that thread's allocation counter covers all of it.
        long atWarmUpEnd = 0;
        long atEnd = 0;
        int frames = 0;
        using var done = new ManualResetEventSlim(false);
        await using var subscriber = new TcpFrameSubscriber(
            (in ReadOnlySequence<byte> payload) =>
            {
                frames++;
                if (frames == WarmUpFrames)
                {
                    atWarmUpEnd = GC.GetAllocatedBytesForCurrentThread();
                }
                else if (frames == WarmUpFrames + MeasuredFrames)
                {
                    atEnd = GC.GetAllocatedBytesForCurrentThread();
                    done.Set();
                }
            },
            new SubscriberOptions { DedicatedReceiveThreads = true });
        await subscriber.StartAsync();
        await using var publisher = FramePublisher.CreateTcp(subscriber.EndPoint);
        await publisher.ConnectAsync();
        for (long sequence = 0; sequence < WarmUpFrames + MeasuredFrames; sequence++)
        {
            await publisher.SendAsync(
                ReceiverProcess.PayloadLength,
                static (destination, sequence) =>
                {
                    BinaryPrimitives.WriteInt64LittleEndian(destination, sequence);
                    return ReceiverProcess.PayloadLength;
                },
                sequence);
        }

        Assert.True(done.Wait(TimeSpan.FromSeconds(30)));
        long allocated = atEnd - atWarmUpEnd;
        output.WriteLine($"receive thread: {allocated} bytes over {MeasuredFrames} frames");

        // 0 in almost every run. Once in a while, under a burst on this shared machine, the connection's pools grow
        // after the warm-up (one more 64 KiB pinned receive segment: 65,560 bytes, plus the pipe's segment object):
        // a one-off, not a per-frame cost. A per-frame allocation of even 8 bytes would exceed this bound.
        Assert.InRange(allocated, 0, 66_000);
    }

    [Fact]
    public async Task AsyncReceiveLoop_AllocatesNothingPerFrame()
    {
        double perFrame = await ReceiverProcess.MeasureBytesPerMessageAsync("tcp-async", WarmUpFrames, MeasuredFrames, async (endPoint, count) =>
        {
            await using var publisher = FramePublisher.CreateTcp(endPoint);
            await ReceiverProcess.SendFramesAsync(publisher, count);
        });
        output.WriteLine($"receiver process: {perFrame:0.##} bytes/frame");

        // Nothing per frame: measured 0-1 bytes/frame, the runtime's own background in that process (timers, tiered
        // JIT). The bound is below one 64 KiB receive segment over the run (a buffer-pool miss fails it), and far below
        // a per-read allocation (a cancellation registration per ReadAsync, which this loop once had: 20+ bytes/frame).
        Assert.InRange(perFrame, 0, 4);
    }
}
