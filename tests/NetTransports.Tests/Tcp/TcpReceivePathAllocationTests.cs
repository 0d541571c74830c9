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
    private const int WindowFrames = 4_000;

    [Fact]
    public async Task DedicatedReceiveThread_AllocatesNothingPerFrame()
    {
        // The whole receive loop runs on one thread here, so that thread's allocation counter covers all of it.
        // Three equal windows after the warm-up: a cost per frame or per receive shows in every window, a one-off
        // (the connection's pool growing by one 64 KiB segment under a burst on this shared machine) in one at most.
        const int windows = 3;
        long[] marks = new long[windows + 1];
        int frames = 0;
        using var done = new ManualResetEventSlim(false);
        await using var subscriber = new TcpFrameSubscriber(
            (in ReadOnlySequence<byte> payload) =>
            {
                frames++;
                int sinceWarmUp = frames - WarmUpFrames;
                if (sinceWarmUp >= 0 && sinceWarmUp % WindowFrames == 0 && sinceWarmUp / WindowFrames <= windows)
                {
                    marks[sinceWarmUp / WindowFrames] = GC.GetAllocatedBytesForCurrentThread();
                    if (sinceWarmUp == windows * WindowFrames)
                    {
                        done.Set();
                    }
                }
            },
            new SubscriberOptions { DedicatedReceiveThreads = true });
        await subscriber.StartAsync();
        await using var publisher = FramePublisher.CreateTcp(subscriber.EndPoint);
        await publisher.ConnectAsync();
        for (long sequence = 0; sequence < WarmUpFrames + (windows * WindowFrames); sequence++)
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

        Assert.True(done.Wait(TimeSpan.FromSeconds(30)), $"{frames} of {WarmUpFrames + (windows * WindowFrames)} frames received");
        long[] perWindow = [.. Enumerable.Range(0, windows).Select(window => marks[window + 1] - marks[window])];
        output.WriteLine($"receive thread: {string.Join(", ", perWindow)} bytes per window of {WindowFrames} frames");

        // Exactly zero in at least two windows: any allocation per frame or per receive, however small, fails.
        Assert.True(perWindow.Count(bytes => bytes == 0) >= windows - 1, $"bytes per window of {WindowFrames} frames: {string.Join(", ", perWindow)}");
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
