using System.Net;

namespace ShmIpc.NetTransports.Tests;

/// <summary>
/// What every byte-frame transport must do, run against each one by a derived class: delivery of 10,000 frames
/// exactly once and intact over 1, 8 and 256 connections, each bad-input case, backpressure, the connection
/// faults, and a clean shutdown. What only transports that hold written frames must do is in
/// <see cref="HeldFrameTransportContractTests"/>.
/// </summary>
public abstract class FrameTransportContractTests
{
    private protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

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
        // The handler runs before the connection's counters move on: the last frame's count may lag its receipt.
        await Eventually.HoldsAsync(() => subscriber.Statistics.Frames == frameCount, Patience, () => $"the statistics to count {frameCount} frames (at {subscriber.Statistics.Frames})");
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

    [Fact]
    public async Task WrittenFrames_AreEachReceivedOnceAfterAFlush()
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

        // Only full batches can have gone out (no flush, no send yet): all but the last partial batch of each connection.
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
        await AssertBadInputClosesOnlyItsConnectionAsync(ClosedBy.Subscriber, raw => raw.WriteAsync(header), "exceeds the maximum of 20000 bytes");
    }

    [Fact]
    public async Task Garbage_IsLoggedAndClosesOnlyItsConnection()
    {
        byte[] garbage = new byte[256];
        new Random(7).NextBytes(garbage);
        garbage[0] = 0x00; // never the marker's first byte
        await AssertBadInputClosesOnlyItsConnectionAsync(ClosedBy.Subscriber, raw => raw.WriteAsync(garbage), "not a frame");
    }

    [Fact]
    public async Task TruncatedFrame_IsLoggedAndClosesOnlyItsConnection()
    {
        byte[] halfFrame = [.. Header(1000), .. new byte[500]];
        await AssertBadInputClosesOnlyItsConnectionAsync(
            ClosedBy.Subscriber,
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
            ClosedBy.Client,
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
    public async Task AHandlerBlockedOnOneConnection_DoesNotStopANewConnectionBeingServed()
    {
        using var release = new ManualResetEventSlim(initialState: false);
        int firstTaken = 0;
        int othersReceived = 0;
        await using IFrameSubscriber subscriber = CreateSubscriber((in System.Buffers.ReadOnlySequence<byte> _) =>
        {
            if (Interlocked.Exchange(ref firstTaken, 1) == 0)
            {
                release.Wait(Patience); // the first frame's handler holds its thread
                return;
            }
            Interlocked.Increment(ref othersReceived);
        }, new SubscriberOptions { MaxPayloadLength = TestFrames.MaxPayloadLength, Log = static _ => { } });
        await subscriber.StartAsync();
        byte[] frame = [.. Header(TestFrames.LengthOf(0)), .. TestFrames.Create(0)];

        IRawFrameStream? blocked = null;
        IRawFrameStream? other = null;
        try
        {
            // Written as soon as the connection exists, so the frame is usually there when the server accepts it.
            blocked = await OpenRawStreamAsync(subscriber.EndPoint);
            await blocked.WriteAsync(frame);
            await Eventually.HoldsAsync(() => Volatile.Read(ref firstTaken) == 1, Patience, "the first frame to reach the handler");

            other = await OpenRawStreamAsync(subscriber.EndPoint);
            await other.WriteAsync(frame);
            await Eventually.HoldsAsync(
                () => Volatile.Read(ref othersReceived) == 1,
                TimeSpan.FromSeconds(10),
                "a second connection to be served while the first one's handler is blocked");
        }
        finally
        {
            release.Set(); // before the streams close, so no handler is left waiting
            if (other is not null)
            {
                await other.DisposeAsync();
            }
            if (blocked is not null)
            {
                await blocked.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task AnAddressThisHostDoesNotHave_ThrowsTransportException()
    {
        // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never assigned to a host, so binding fails with "address not available".
        var elsewhere = new IPEndPoint(IPAddress.Parse("192.0.2.1"), 0);
        await using IFrameSubscriber subscriber = CreateSubscriber(static (in System.Buffers.ReadOnlySequence<byte> _) => { }, new SubscriberOptions { EndPoint = elsewhere, Log = static _ => { } });
        var exception = await Assert.ThrowsAsync<TransportException>(() => subscriber.StartAsync());
        Assert.Contains("192.0.2.1", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusedConnection_ThrowsTransportException()
    {
        IPEndPoint nobody = LoopbackPorts.Unused();
        // A timeout far above the bound below: a connect that waited it out instead of taking the refusal fails.
        await using IFramePublisher publisher = CreatePublisher(nobody, new PublisherOptions { ConnectTimeout = TimeSpan.FromSeconds(30) });
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        var exception = await Assert.ThrowsAsync<TransportException>(() => publisher.ConnectAsync().WaitAsync(TimeSpan.FromSeconds(40)));
        Assert.Contains(nobody.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), exception.Message, StringComparison.Ordinal);
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(5), $"refused after {elapsed.Elapsed}: the refusal was waited out, not taken");
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
        await Eventually.HoldsAsync(
            () => ProcessResources.OpenSockets() <= socketsBefore,
            TimeSpan.FromSeconds(5),
            () => $"sockets back to {socketsBefore} (now {ProcessResources.OpenSockets()})");
        await Eventually.HoldsAsync(
            () => ProcessResources.ThreadsNamed(TransportThreadNamePrefix) == 0,
            TimeSpan.FromSeconds(5),
            () => $"no '{TransportThreadNamePrefix}' threads left (now {ProcessResources.ThreadsNamed(TransportThreadNamePrefix)})");
    }

    /// <summary>The OS thread-name prefix (15 characters at most) of threads the transport itself starts; none may survive disposal.</summary>
    internal abstract string TransportThreadNamePrefix { get; }

    /// <summary>Threads named <see cref="TransportThreadNamePrefix"/> while serving <paramref name="connections"/> connections.</summary>
    internal abstract int TransportThreadsWhileRunning(int connections);

    /// <summary>Who ends the misbehaving connection first: the subscriber (bad bytes) or the client (an abrupt disconnect).</summary>
    private enum ClosedBy
    {
        Subscriber,
        Client,
    }

    /// <summary>
    /// A raw connection misbehaves next to a well-behaved publisher: the fault is logged once, the subscriber closes
    /// that connection (the raw client sees it closed; its sockets go away), and the publisher's frames keep arriving.
    /// </summary>
    private async Task AssertBadInputClosesOnlyItsConnectionAsync(ClosedBy closedBy, Func<IRawFrameStream, Task> misbehave, string expectedLogFragment)
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

        // A client that resets its end cannot see the subscriber close its own: only the socket count can, and only if
        // no finalizer closes a socket the subscriber leaked meanwhile.
        using (NoCollectionWindow.Open())
        {
            // Taken with the publisher's connections open: only the raw connection's sockets come and go after it.
            int socketsBefore = await ProcessResources.SettledOpenSocketsAsync();
            await using (IRawFrameStream raw = await OpenRawStreamAsync(subscriber.EndPoint))
            {
                await raw.WriteAsync([.. Header(TestFrames.LengthOf(0)), .. TestFrames.Create(0)]); // one good frame first
                await misbehave(raw);
                await log.WaitForAsync(expectedLogFragment, Patience);
                if (closedBy == ClosedBy.Subscriber)
                {
                    await raw.WaitUntilClosedBySubscriberAsync(Patience);
                }
            }

            // Both ends of the bad connection are gone: a subscriber that leaves its end open (or a stream it never ends) fails here.
            await Eventually.HoldsAsync(
                () => ProcessResources.OpenSockets() <= socketsBefore,
                TimeSpan.FromSeconds(10),
                () => $"the bad connection's sockets closed ({socketsBefore} open before it, {ProcessResources.OpenSockets()} now)");
            NoCollectionWindow.AssertNoneRan("the bad connection's sockets closed");
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

    /// <summary>A subscriber whose handler takes one frame and then waits for <paramref name="release"/>: it reads nothing more.</summary>
    private protected async Task<IFrameSubscriber> StartStalledSubscriberAsync(ManualResetEventSlim release)
    {
        IFrameSubscriber subscriber = CreateSubscriber(
            (in System.Buffers.ReadOnlySequence<byte> _) => release.Wait(Patience),
            new SubscriberOptions { MaxPayloadLength = TestFrames.MaxPayloadLength, Log = static _ => { } });
        await subscriber.StartAsync();
        return subscriber;
    }

    /// <summary>
    /// A connected publisher (1 s connect timeout) holding ~32 MB of written frames: far more than the kernel's socket
    /// buffers or the HTTP/2 window can take from a reader that stopped.
    /// </summary>
    private protected async Task<IFramePublisher> HoldMoreThanAStalledReaderTakesAsync(IPEndPoint endPoint)
    {
        IFramePublisher publisher = CreatePublisher(endPoint, new PublisherOptions { ConnectTimeout = TimeSpan.FromSeconds(1), BatchBytes = 64 * 1024 * 1024 });
        await publisher.ConnectAsync();
        for (long sequence = 0; sequence < 2_000; sequence++)
        {
            await publisher.WriteAsync(TestFrames.MaxPayloadLength, static (destination, sequence) => TestFrames.Write(destination, sequence), sequence);
        }

        return publisher;
    }

    private static byte[] Header(int payloadLength)
    {
        byte[] header = new byte[FrameHeader.Length];
        FrameHeader.Write(header, payloadLength);
        return header;
    }
}
