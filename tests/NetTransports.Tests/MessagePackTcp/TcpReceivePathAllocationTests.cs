using System.Buffers;
using System.Buffers.Binary;
using ShmIpc.NetTransports.MessagePackTcp;
using Xunit.Abstractions;

namespace ShmIpc.NetTransports.Tests.MessagePackTcp;

/// <summary>Bytes allocated per 16 KiB frame on the TCP transport, measured over 10,000 frames after a warm-up.</summary>
public sealed class TcpReceivePathAllocationTests(ITestOutputHelper output)
{
    private const int PayloadLength = 16 * 1024;
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
        await using var publisher = new TcpFramePublisher(subscriber.EndPoint);
        await publisher.ConnectAsync();
        await SendAsync(publisher, WarmUpFrames + MeasuredFrames);
        Assert.True(done.Wait(TimeSpan.FromSeconds(30)));

        double perFrame = (atEnd - atWarmUpEnd) / (double)MeasuredFrames;
        output.WriteLine($"receive thread: {atEnd - atWarmUpEnd} bytes over {MeasuredFrames} frames = {perFrame:0.##} bytes/frame");
        Assert.Equal(0, atEnd - atWarmUpEnd);
    }

    [Fact]
    public async Task AsyncReceiveLoop_BothSidesTogetherAllocateAlmostNothingPerFrame()
    {
        // Thread-pool receive loops hop threads, so this counts the whole process (publisher, subscriber, test host).
        int frames = 0;
        using var warmedUp = new ManualResetEventSlim(false);
        using var done = new ManualResetEventSlim(false);
        await using var subscriber = new TcpFrameSubscriber((in ReadOnlySequence<byte> payload) =>
        {
            int count = Interlocked.Increment(ref frames);
            if (count == WarmUpFrames)
            {
                warmedUp.Set();
            }
            else if (count == WarmUpFrames + MeasuredFrames)
            {
                done.Set();
            }
        });
        await subscriber.StartAsync();
        await using var publisher = new TcpFramePublisher(subscriber.EndPoint);
        await publisher.ConnectAsync();
        await SendAsync(publisher, WarmUpFrames);
        Assert.True(warmedUp.Wait(TimeSpan.FromSeconds(30)));

        long before = GC.GetTotalAllocatedBytes(precise: true);
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        long senderAllocated = 0;
        var sender = new Thread(() =>
        {
            long senderBefore = GC.GetAllocatedBytesForCurrentThread();
            SendAsync(publisher, MeasuredFrames).GetAwaiter().GetResult();
            senderAllocated = GC.GetAllocatedBytesForCurrentThread() - senderBefore;
        });
        sender.Start();
        sender.Join();
        Assert.True(done.Wait(TimeSpan.FromSeconds(30)));
        TimeSpan elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        double perFrame = allocated / (double)MeasuredFrames;
        output.WriteLine($"whole process: {allocated} bytes over {MeasuredFrames} frames = {perFrame:0.##} bytes/frame (sender thread {senderAllocated}); {MeasuredFrames / elapsed.TotalSeconds:0} frames/s flat out (smoke figure, noisy machine)");
        Assert.InRange(perFrame, 0, 16);
    }

    private static async Task SendAsync(TcpFramePublisher publisher, int frameCount)
    {
        for (long sequence = 0; sequence < frameCount; sequence++)
        {
            await publisher.SendAsync(
                PayloadLength,
                static (destination, sequence) =>
                {
                    BinaryPrimitives.WriteInt64LittleEndian(destination, sequence);
                    return PayloadLength;
                },
                sequence);
        }
    }
}
