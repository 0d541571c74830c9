using System.Net;
using System.Net.Sockets;

namespace ShmIpc.NetTransports.Tests;

/// <summary>
/// What every byte-frame transport must do, run against each one by a derived class: delivery of 10,000 frames
/// exactly once and intact over 1, 8 and 256 connections, each bad-input case, backpressure, the connection
/// faults, and a clean shutdown.
/// </summary>
public abstract class FrameTransportContractTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    internal abstract IFrameSubscriber CreateSubscriber(FrameHandler handler, SubscriberOptions options);

    internal abstract IFramePublisher CreatePublisher(IPEndPoint endPoint, PublisherOptions options);

    internal abstract Task<IRawFrameStream> OpenRawStreamAsync(IPEndPoint endPoint);

    [Theory]
    [InlineData(1, 10_000)]
    [InlineData(8, 10_000)]
    [InlineData(256, 2_560)]
    public async Task Frames_AreEachReceivedOnceWithIdenticalContent(int connectionCount, int frameCount)
    {
        var receipts = new FrameReceipts(frameCount);
        await using IFrameSubscriber subscriber = CreateSubscriber(receipts.Record, new SubscriberOptions { MaxPayloadLength = TestFrames.MaxPayloadLength });
        await subscriber.StartAsync();
        await using (IFramePublisher publisher = CreatePublisher(subscriber.EndPoint, new PublisherOptions { ConnectionCount = connectionCount }))
        {
            await publisher.ConnectAsync();
            for (long sequence = 0; sequence < frameCount; sequence++)
            {
                await publisher.SendAsync(TestFrames.MaxPayloadLength, static (destination, sequence) => TestFrames.Write(destination, sequence), sequence);
            }
        }

        await receipts.WaitForAsync(frameCount, Patience);
        receipts.AssertEachReceivedOnceIntact();
        TransportStatistics statistics = subscriber.Statistics;
        Assert.Equal(frameCount, statistics.Frames);
        Assert.Equal(Enumerable.Range(0, frameCount).Sum(sequence => (long)TestFrames.LengthOf(sequence)), statistics.PayloadBytes);
        Assert.Equal(0, statistics.Errors);
    }

    [Fact]
    public async Task SendAsyncWithPayloadCopy_DeliversTheSameBytes()
    {
        var receipts = new FrameReceipts(100);
        await using IFrameSubscriber subscriber = CreateSubscriber(receipts.Record, new SubscriberOptions { MaxPayloadLength = TestFrames.MaxPayloadLength });
        await subscriber.StartAsync();
        await using (IFramePublisher publisher = CreatePublisher(subscriber.EndPoint, new PublisherOptions()))
        {
            await publisher.ConnectAsync();
            for (long sequence = 0; sequence < 100; sequence++)
            {
                await publisher.SendAsync(TestFrames.Create(sequence));
            }
        }

        await receipts.WaitForAsync(100, Patience);
        receipts.AssertEachReceivedOnceIntact();
    }

    /// <summary>False where every frame is sent at once whatever the caller says (HTTP/2 request per message).</summary>
    internal virtual bool HoldsWrittenFrames => true;

    [Fact]
    public async Task WrittenFrames_AreHeldUntilFlushed_ThenEachReceivedOnce()
    {
        const int frameCount = 20;
        var receipts = new FrameReceipts(frameCount);
        await using IFrameSubscriber subscriber = CreateSubscriber(receipts.Record, new SubscriberOptions { MaxPayloadLength = TestFrames.MaxPayloadLength });
        await subscriber.StartAsync();
        await using IFramePublisher publisher = CreatePublisher(subscriber.EndPoint, new PublisherOptions { ConnectionCount = 4, BatchBytes = 1024 * 1024 });
        await publisher.ConnectAsync();
        for (long sequence = 0; sequence < frameCount; sequence++)
        {
            await publisher.WriteAsync(TestFrames.MaxPayloadLength, static (destination, sequence) => TestFrames.Write(destination, sequence), sequence);
        }

        if (HoldsWrittenFrames)
        {
            // ~250 KB written, under the 1 MiB batch: still in the publisher's buffer, so none can arrive.
            await Task.Delay(200);
            Assert.Equal(0, receipts.Received);
        }

        await publisher.FlushAsync();
        await receipts.WaitForAsync(frameCount, Patience);
        receipts.AssertEachReceivedOnceIntact();
    }

    [Fact]
    public void NegativeBatchBytes_IsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => CreatePublisher(new IPEndPoint(IPAddress.Loopback, 1), new PublisherOptions { BatchBytes = -1 }));

    [Fact]
    public async Task WrittenFrames_GoOutWhenTheBatchFills_OrWithTheNextSend()
    {
        const int frameCount = 100;
        var receipts = new FrameReceipts(frameCount + 1);
        await using IFrameSubscriber subscriber = CreateSubscriber(receipts.Record, new SubscriberOptions { MaxPayloadLength = TestFrames.MaxPayloadLength });
        await subscriber.StartAsync();
        // At most 3 frames' worth held: every full batch goes out without a flush.
        await using IFramePublisher publisher = CreatePublisher(subscriber.EndPoint, new PublisherOptions { ConnectionCount = 2, BatchBytes = 3 * TestFrames.MaxPayloadLength });
        await publisher.ConnectAsync();
        for (long sequence = 0; sequence < frameCount; sequence++)
        {
            await publisher.WriteAsync(TestFrames.MaxPayloadLength, static (destination, sequence) => TestFrames.Write(destination, sequence), sequence);
        }

        await receipts.WaitForAsync(frameCount - 10, Patience);

        // A send goes out at once and takes the held frames with it.
        await publisher.SendAsync(TestFrames.MaxPayloadLength, static (destination, sequence) => TestFrames.Write(destination, sequence), (long)frameCount);
        await receipts.WaitForAsync(frameCount + 1, Patience);
        receipts.AssertEachReceivedOnceIntact();
    }

    [Fact]
    public async Task OversizeFrame_IsLoggedAndClosesOnlyItsConnection()
    {
        byte[] header = Header(TestFrames.MaxPayloadLength + 1);
        await AssertBadInputClosesOnlyItsConnectionAsync(raw => raw.WriteAsync(header), "exceeds the maximum of 20000 bytes");
    }

    [Fact]
    public async Task Garbage_IsLoggedAndClosesOnlyItsConnection()
    {
        byte[] garbage = new byte[256];
        new Random(7).NextBytes(garbage);
        garbage[0] = 0x00; // never the marker's first byte
        await AssertBadInputClosesOnlyItsConnectionAsync(raw => raw.WriteAsync(garbage), "not a frame");
    }

    [Fact]
    public async Task TruncatedFrame_IsLoggedAndClosesOnlyItsConnection()
    {
        byte[] halfFrame = [.. Header(1000), .. new byte[500]];
        await AssertBadInputClosesOnlyItsConnectionAsync(
            async raw =>
            {
                await raw.WriteAsync(halfFrame);
                await raw.EndAsync();
            },
            "ended mid-frame: 508 bytes of an incomplete frame (header announced 1000 payload bytes)");
    }

    [Fact]
    public async Task ClientDisconnectingMidFrame_IsLoggedAndClosesOnlyItsConnection()
    {
        byte[] halfFrame = [.. Header(1000), .. new byte[500]];
        await AssertBadInputClosesOnlyItsConnectionAsync(
            async raw =>
            {
                await raw.WriteAsync(halfFrame);
                await Task.Delay(100); // let the half frame arrive before the reset
                raw.Abort();
            },
            DisconnectMidFrameLogFragment);
    }

    /// <summary>What the subscriber's log line says when a client disconnects abruptly mid-frame.</summary>
    internal abstract string DisconnectMidFrameLogFragment { get; }

    [Fact]
    public async Task SlowSubscriber_StallsThePublisherAndLosesNothing()
    {
        // About 40 MB in all: more than the kernel's socket buffers (tcp_rmem max 32 MiB here, which autotuning
        // reaches only while the reader keeps up) or the HTTP/2 windows (1 MiB per stream) can hold.
        const int frameCount = 4_000;
        var receipts = new FrameReceipts(frameCount);
        using var gate = new ManualResetEventSlim(false);
        await using IFrameSubscriber subscriber = CreateSubscriber(
            (in System.Buffers.ReadOnlySequence<byte> payload) =>
            {
                gate.Wait();
                receipts.Record(payload);
            },
            new SubscriberOptions { MaxPayloadLength = TestFrames.MaxPayloadLength });
        await subscriber.StartAsync();

        // Few requests in flight: in request-per-message mode each blocked handler holds a thread-pool thread.
        await using IFramePublisher publisher = CreatePublisher(subscriber.EndPoint, new PublisherOptions { MaxRequestsInFlightPerConnection = 4 });
        await publisher.ConnectAsync();

        int sent = 0;
        Task sending = Task.Run(async () =>
        {
            for (long sequence = 0; sequence < frameCount; sequence++)
            {
                await publisher.SendAsync(TestFrames.MaxPayloadLength, static (destination, sequence) => TestFrames.Write(destination, sequence), sequence);
                Volatile.Write(ref sent, (int)sequence + 1);
            }
        });

        // With the handler blocked, the buffers in between fill and flow control stops the sender well short of the end.
        await Task.Delay(1500);
        int sentWhileBlocked = Volatile.Read(ref sent);
        Assert.False(sending.IsCompleted);
        Assert.InRange(sentWhileBlocked, 1, frameCount / 2);

        gate.Set();
        await sending.WaitAsync(Patience);
        await receipts.WaitForAsync(frameCount, Patience);
        receipts.AssertEachReceivedOnceIntact();
    }

    [Fact]
    public async Task PortInUse_ThrowsTransportException()
    {
        await using IFrameSubscriber first = CreateSubscriber(static (in System.Buffers.ReadOnlySequence<byte> _) => { }, new SubscriberOptions());
        await first.StartAsync();
        await using IFrameSubscriber second = CreateSubscriber(static (in System.Buffers.ReadOnlySequence<byte> _) => { }, new SubscriberOptions { EndPoint = first.EndPoint });
        var exception = await Assert.ThrowsAsync<TransportException>(() => second.StartAsync());
        Assert.Contains(first.EndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusedConnection_ThrowsTransportException()
    {
        IPEndPoint nobody = UnusedEndPoint();
        await using IFramePublisher publisher = CreatePublisher(nobody, new PublisherOptions { ConnectTimeout = TimeSpan.FromSeconds(3) });
        var started = DateTime.UtcNow;
        var exception = await Assert.ThrowsAsync<TransportException>(() => publisher.ConnectAsync());
        Assert.Contains(nobody.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), exception.Message, StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task SubscriberGoneMidRun_ThrowsTransportExceptionOnSend()
    {
        IFrameSubscriber subscriber = CreateSubscriber(static (in System.Buffers.ReadOnlySequence<byte> _) => { }, new SubscriberOptions { MaxPayloadLength = TestFrames.MaxPayloadLength, Log = static _ => { } });
        await subscriber.StartAsync();
        await using IFramePublisher publisher = CreatePublisher(subscriber.EndPoint, new PublisherOptions());
        await publisher.ConnectAsync();
        await publisher.SendAsync(TestFrames.Create(0));
        await subscriber.DisposeAsync();

        // The first sends after the close may still be buffered before the reset comes back; within a few they fail.
        Task sendUntilFailure = Task.Run(async () =>
        {
            for (long sequence = 1; ; sequence++)
            {
                await publisher.SendAsync(TestFrames.Create(sequence));
                await Task.Delay(1);
            }
        });
        await Assert.ThrowsAsync<TransportException>(() => sendUntilFailure.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Shutdown_LeavesNoSocketsOrThreads()
    {
        int socketsBefore = await ProcessResources.SettledOpenSocketsAsync();
        var receipts = new FrameReceipts(400);
        await using (IFrameSubscriber subscriber = CreateSubscriber(receipts.Record, new SubscriberOptions { MaxPayloadLength = TestFrames.MaxPayloadLength }))
        {
            await subscriber.StartAsync();
            await using (IFramePublisher publisher = CreatePublisher(subscriber.EndPoint, new PublisherOptions { ConnectionCount = 4 }))
            {
                await publisher.ConnectAsync();
                for (long sequence = 0; sequence < 400; sequence++)
                {
                    await publisher.SendAsync(TestFrames.Create(sequence));
                }

                await receipts.WaitForAsync(400, Patience);
                // Counted by port: sockets an earlier test left closing late cannot skew it.
                int established = ProcessResources.EstablishedConnectionsOnPort(subscriber.EndPoint.Port);
                Assert.True(established >= 8, $"{established} connection ends on the subscriber's port while running, expected 4 client + 4 server");
                Assert.Equal(TransportThreadsWhileRunning(4), ProcessResources.ThreadsNamed(TransportThreadNamePrefix));
            }
        }

        receipts.AssertEachReceivedOnceIntact();
        Assert.True(
            await ProcessResources.EventuallyAsync(() => ProcessResources.OpenSockets() <= socketsBefore, TimeSpan.FromSeconds(5)),
            $"sockets before {socketsBefore}, after {ProcessResources.OpenSockets()}");
        Assert.True(
            await ProcessResources.EventuallyAsync(() => ProcessResources.ThreadsNamed(TransportThreadNamePrefix) == 0, TimeSpan.FromSeconds(5)),
            $"{ProcessResources.ThreadsNamed(TransportThreadNamePrefix)} '{TransportThreadNamePrefix}' threads left");
    }

    /// <summary>The OS thread-name prefix (15 characters at most) of threads the transport itself starts; none may survive disposal.</summary>
    internal abstract string TransportThreadNamePrefix { get; }

    /// <summary>Threads named <see cref="TransportThreadNamePrefix"/> while serving <paramref name="connections"/> connections.</summary>
    internal abstract int TransportThreadsWhileRunning(int connections);

    private async Task AssertBadInputClosesOnlyItsConnectionAsync(Func<IRawFrameStream, Task> misbehave, string expectedLogFragment)
    {
        var log = new LogLines();
        var receipts = new FrameReceipts(200);
        await using IFrameSubscriber subscriber = CreateSubscriber(receipts.Record, new SubscriberOptions { MaxPayloadLength = TestFrames.MaxPayloadLength, Log = log.Sink });
        await subscriber.StartAsync();
        await using IFramePublisher publisher = CreatePublisher(subscriber.EndPoint, new PublisherOptions());
        await publisher.ConnectAsync();
        for (long sequence = 0; sequence < 100; sequence++)
        {
            await publisher.SendAsync(TestFrames.Create(sequence));
        }

        await using (IRawFrameStream raw = await OpenRawStreamAsync(subscriber.EndPoint))
        {
            await raw.WriteAsync([.. Header(TestFrames.LengthOf(0)), .. TestFrames.Create(0)]); // one good frame first
            await misbehave(raw);
            Assert.True(await log.WaitForAsync(expectedLogFragment, Patience), $"log: {string.Join(" | ", log.All)}");
        }

        // The well-behaved connection keeps being served.
        for (long sequence = 100; sequence < 200; sequence++)
        {
            await publisher.SendAsync(TestFrames.Create(sequence));
        }

        await receipts.WaitForAsync(201, Patience);
        Assert.Equal(201, receipts.Received); // 200 from the publisher, plus frame 0 again from the raw stream
        Assert.Single(log.All);
        Assert.Equal(1, subscriber.Statistics.Errors);
    }

    private static byte[] Header(int payloadLength)
    {
        byte[] header = new byte[FrameHeader.Length];
        FrameHeader.Write(header, payloadLength);
        return header;
    }

    private static IPEndPoint UnusedEndPoint()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return (IPEndPoint)probe.LocalEndPoint!;
    }
}
