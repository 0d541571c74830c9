using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit.Abstractions;

namespace ShmIpc.NetTransports.Tests;

/// <summary>
/// Peers that try to wedge a byte-frame subscriber, run against each transport by a derived class (loopback, bounded:
/// each case a second or less). After every case a well-behaved publisher is served, and the process's sockets,
/// threads and managed heap are back near where they were before it; each case prints its figures
/// (docs/reliability.md). The timeouts are short here so the suite stays short; the defaults are documented.
/// </summary>
public abstract class HostilePeerContractTests
{
    private protected const int Cap = TestFrames.MaxPayloadLength;
    private protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private protected static readonly TimeSpan FrameReadTimeout = TimeSpan.FromMilliseconds(300);

    /// <summary>Sockets a case may leave open: the well-behaved client's pooled connection closing as it is measured.</summary>
    private const int SocketSlack = 2;

    /// <summary>
    /// Threads other than the thread pool's a case may leave (the pool grows under a burst and retires idle workers
    /// on its own schedule, seconds later: its count is printed, not asserted).
    /// </summary>
    private const int ThreadSlack = 2;

    private const long HeapSlackBytes = 16L * 1024 * 1024;

    private readonly ITestOutputHelper _output;

    private protected HostilePeerContractTests(ITestOutputHelper output) => _output = output;

    internal abstract IFrameSubscriber CreateSubscriber(FrameHandler handler, SubscriberOptions options);

    internal abstract IFramePublisher CreatePublisher(EndPoint endPoint);

    internal abstract Task<IRawFrameStream> OpenRawStreamAsync(EndPoint endPoint);

    [Fact]
    public Task Garbage_IsClosed() => RunCaseAsync("garbage", async (endPoint, _) =>
    {
        await using IRawFrameStream raw = await OpenRawStreamAsync(endPoint);
        await raw.WriteAsync("GARBAGE!GARBAGE!GARBAGE!GARBAGE!"u8.ToArray());
        await raw.WaitUntilClosedBySubscriberAsync(Patience);
    }, "marker");

    [Fact]
    public Task ZeroLengthFrames_AreValidFrames() => RunCaseAsync("length 0", async (endPoint, subscriber) =>
    {
        long before = subscriber.Frames();
        await using IRawFrameStream raw = await OpenRawStreamAsync(endPoint);
        await raw.WriteAsync([.. Header(0), .. Header(0)]);
        await raw.EndAsync();
        await Eventually.HoldsAsync(() => subscriber.Frames() == before + 2, Patience, "two empty frames");
    }, expectedLogFragment: null);

    [Theory]
    [InlineData(Cap + 1L)]
    [InlineData(1L << 31)]
    [InlineData(uint.MaxValue)]
    public Task LengthAboveTheCap_IsClosedBeforeItsPayload(long length) => RunCaseAsync($"length {length}", async (endPoint, _) =>
    {
        await using IRawFrameStream raw = await OpenRawStreamAsync(endPoint);
        await raw.WriteAsync(Header((uint)length));
        await raw.WaitUntilClosedBySubscriberAsync(Patience);
    }, "exceeds the maximum");

    [Fact]
    public Task TruncatedFrame_IsClosed() => RunCaseAsync("truncated", async (endPoint, _) =>
    {
        await using IRawFrameStream raw = await OpenRawStreamAsync(endPoint);
        await raw.WriteAsync([.. Header(100), .. new byte[10]]);
        await raw.EndAsync();
        await raw.WaitUntilClosedBySubscriberAsync(Patience);
    }, "mid-frame");

    [Fact]
    public Task HalfAFrameThenSilence_IsClosedByTheReadTimeout() => RunCaseAsync("half a frame, then silence", async (endPoint, _) =>
    {
        await using IRawFrameStream raw = await OpenRawStreamAsync(endPoint);
        await raw.WriteAsync([.. Header(100), .. new byte[50]]);
        await raw.WaitUntilClosedBySubscriberAsync(Patience);
    }, "read timeout");

    [Fact]
    public Task TrickledFrame_IsClosedByTheReadTimeout() => RunCaseAsync("trickled", async (endPoint, _) =>
    {
        // One byte every 20 ms: each read makes progress, the frame (1,000 bytes: 20 s) never completes in time.
        await using IRawFrameStream raw = await OpenRawStreamAsync(endPoint);
        await raw.WriteAsync(Header(1000));
        using var stop = new CancellationTokenSource();
        Task trickle = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await raw.WriteAsync([0x42]);
                await Task.Delay(20);
            }
        });
        await raw.WaitUntilClosedBySubscriberAsync(Patience);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await trickle;
            throw new InvalidOperationException("stopped by the test");
        });
    }, "read timeout");

    [Fact]
    public Task AConnectionSilentBetweenFrames_IsClosedByTheIdleTimeout_WhenOneIsSet() => RunCaseAsync("idle between frames", async (endPoint, _) =>
    {
        await using IRawFrameStream raw = await OpenRawStreamAsync(endPoint);
        await raw.WriteAsync([.. Header(3), 1, 2, 3]);
        await raw.WaitUntilClosedBySubscriberAsync(Patience);
    }, "idle timeout", options => options.IdleTimeout = TimeSpan.FromMilliseconds(300));

    [Fact]
    public async Task AHandlerSlowerThanTheReadTimeout_IsNotTimedOut()
    {
        // The loop waits on half a frame (the watchdog sees bytes held), then that frame and a slow one arrive: while the
        // slow handler runs, no read is pending, so the frame clock must not run.
        var log = new LogLines();
        long frames = 0;
        var options = new SubscriberOptions { MaxPayloadLength = Cap, FrameReadTimeout = FrameReadTimeout, Log = log.Sink };
        await using IFrameSubscriber subscriber = CreateSubscriber((in ReadOnlySequence<byte> payload) =>
        {
            if (payload.Length == 1)
            {
                Thread.Sleep(4 * FrameReadTimeout);
            }

            Interlocked.Increment(ref frames);
        }, options);
        await subscriber.StartAsync();
        await using IRawFrameStream raw = await OpenRawStreamAsync(subscriber.EndPoint);
        await raw.WriteAsync([.. Header(10), .. new byte[5]]);
        await Task.Delay(FrameReadTimeout / 2);
        await raw.WriteAsync([.. new byte[5], .. Header(1), 0x01]);
        await raw.EndAsync();

        await Eventually.HoldsAsync(() => Interlocked.Read(ref frames) == 2, Patience, "both frames");
        Assert.Equal(0, subscriber.Statistics.Errors);
        Assert.Empty(log.All);
    }

    [Fact]
    public Task ResetMidFrame_IsClosed() => RunCaseAsync("reset mid-frame", async (endPoint, subscriber) =>
    {
        long accepted = subscriber.Statistics().ConnectionsAccepted;
        IRawFrameStream raw = await OpenRawStreamAsync(endPoint);
        await raw.WriteAsync([.. Header(100), .. new byte[10]]);

        // Reset only once the subscriber has the connection (HTTP/2: the request stream): a client that resets
        // before its request left the machine has reset nothing the subscriber could see or log.
        await Eventually.HoldsAsync(() => subscriber.Statistics().ConnectionsAccepted > accepted, Patience, "the subscriber accepting the stream");
        raw.Abort();
        await raw.DisposeAsync();
    }, "closed: ");

    [Fact]
    public Task AThousandConnectDropCycles_LeaveNothingBehind() => RunCaseAsync("1,000 connect/drop cycles", async (endPoint, _) =>
    {
        for (int cycle = 0; cycle < 1000; cycle++)
        {
            using var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, endPoint is IPEndPoint ? ProtocolType.Tcp : ProtocolType.Unspecified);
            await socket.ConnectAsync(endPoint);
            if (cycle % 2 == 1)
            {
                socket.LingerState = new LingerOption(true, 0); // every other one reset rather than closed
            }
        }
    }, expectedLogFragment: null);

    private protected static byte[] Header(uint payloadLength)
    {
        byte[] header = new byte[FrameHeader.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(header, FrameHeader.Marker);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), payloadLength);
        return header;
    }

    /// <summary>What an attack may watch of the subscriber under attack: frames handed to its handler, its statistics.</summary>
    private protected readonly record struct SubscriberProbe(Func<long> Frames, Func<TransportStatistics> Statistics);

    /// <summary>
    /// Starts a subscriber, serves a well-behaved publisher once (the baseline is taken warm), runs the hostile
    /// <paramref name="attack"/> (given the endpoint and a probe of the subscriber), checks its log line, serves the
    /// well-behaved publisher again, and asserts sockets, threads and heap are back near the baseline.
    /// </summary>
    private protected async Task RunCaseAsync(string name, Func<EndPoint, SubscriberProbe, Task> attack, string? expectedLogFragment, Action<SubscriberOptions>? configure = null)
    {
        var log = new LogLines();
        long frames = 0;
        var options = new SubscriberOptions { MaxPayloadLength = Cap, FrameReadTimeout = FrameReadTimeout, Log = log.Sink };
        configure?.Invoke(options);
        await using IFrameSubscriber subscriber = CreateSubscriber((in ReadOnlySequence<byte> _) => Interlocked.Increment(ref frames), options);
        await subscriber.StartAsync();
        await ServeAWellBehavedPublisherAsync(subscriber.EndPoint, () => Interlocked.Read(ref frames));
        int socketsBefore = await ProcessResources.SettledOpenSocketsAsync();
        int threadsBefore = ThreadsOutsideThePool();
        int poolBefore = ThreadPool.ThreadCount;
        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var elapsed = Stopwatch.StartNew();

        await attack(subscriber.EndPoint, new SubscriberProbe(() => Interlocked.Read(ref frames), () => subscriber.Statistics));
        TimeSpan attackTime = elapsed.Elapsed;
        if (expectedLogFragment is not null)
        {
            await log.WaitForAsync(expectedLogFragment, Patience);
        }

        await ServeAWellBehavedPublisherAsync(subscriber.EndPoint, () => Interlocked.Read(ref frames));
        int socketsAfter = await ProcessResources.SettledOpenSocketsAsync();
        int threadsAfter = ThreadsOutsideThePool();
        int poolAfter = ThreadPool.ThreadCount;
        long heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        _output.WriteLine($"{GetType().Name} {name}: {attackTime.TotalMilliseconds:0} ms; sockets {socketsBefore} -> {socketsAfter}; threads outside the pool {threadsBefore} -> {threadsAfter}, pool {poolBefore} -> {poolAfter}; managed heap {heapBefore / 1024} -> {heapAfter / 1024} KiB; log lines {log.All.Count}; errors {subscriber.Statistics.Errors}");
        Assert.True(socketsAfter <= socketsBefore + SocketSlack, $"sockets {socketsBefore} -> {socketsAfter}");
        Assert.True(threadsAfter <= threadsBefore + ThreadSlack, $"threads {threadsBefore} -> {threadsAfter}");
        Assert.True(heapAfter <= heapBefore + HeapSlackBytes, $"heap {heapBefore} -> {heapAfter}");
    }

    private static int ThreadsOutsideThePool()
    {
        using var process = Process.GetCurrentProcess();
        return process.Threads.Count - ThreadPool.ThreadCount;
    }

    private async Task ServeAWellBehavedPublisherAsync(EndPoint endPoint, Func<long> frames)
    {
        const int Count = 20;
        long before = frames();
        await using (IFramePublisher publisher = CreatePublisher(endPoint))
        {
            await publisher.ConnectAsync();
            for (long sequence = 0; sequence < Count; sequence++)
            {
                await publisher.SendAsync(Cap, static (destination, s) => TestFrames.Write(destination, s), sequence);
            }
        }

        await Eventually.HoldsAsync(() => frames() == before + Count, Patience, $"the well-behaved publisher's {Count} frames");
    }
}
