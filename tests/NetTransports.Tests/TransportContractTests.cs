using System.Net;

namespace ShmIpc.NetTransports.Tests;

/// <summary>
/// What every transport must do, byte frames and gRPC alike, run against each one by a derived class: delivery of
/// 10,000 messages exactly once and intact over 1, 8 and 256 connections, each bad-input case, backpressure, the
/// connection faults, and a clean shutdown. What only byte-frame transports do is in <see cref="FrameTransportContractTests"/>.
/// </summary>
public abstract class TransportContractTests
{
    private protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>A subscriber (not started) that hands each message to <paramref name="onMessage"/>, on the connection's receive path.</summary>
    internal abstract IContractSubscriber CreateContractSubscriber(MessageHandler onMessage, SubscriberOptions options);

    internal abstract IContractPublisher CreateContractPublisher(EndPoint endPoint, PublisherOptions options);

    internal abstract Task<IRawFrameStream> OpenRawStreamAsync(EndPoint endPoint);

    /// <summary>An address no subscriber can listen on, and what the error must name of it.</summary>
    // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never assigned to a host, so binding fails with "address not available".
    internal virtual (EndPoint EndPoint, string Named) AnEndPointThisHostCannotBind => (new IPEndPoint(IPAddress.Parse("192.0.2.1"), 0), "192.0.2.1");

    /// <summary>An address nothing listens on, and what the error must name of it.</summary>
    internal virtual (EndPoint EndPoint, string Named) AnEndPointNobodyListensOn()
    {
        IPEndPoint nobody = LoopbackPorts.Unused();
        return (nobody, nobody.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Connection ends (sockets of either side) this process holds to or at the subscriber at <paramref name="endPoint"/>.</summary>
    // Counted by port: sockets an earlier test left closing late cannot skew it.
    internal virtual int ConnectionEndsAt(EndPoint endPoint) => ProcessResources.EstablishedConnectionsOnPort(((IPEndPoint)endPoint).Port);

    /// <summary>How many of one connection's two ends <see cref="ConnectionEndsAt"/> sees.</summary>
    internal virtual int ConnectionEndsSeenPerConnection => 2;

    /// <summary>The largest message the tests' subscribers accept (<see cref="SubscriberOptions.MaxPayloadLength"/>); the test messages fit.</summary>
    internal abstract int MaxPayloadLength { get; }

    /// <summary>The payload bytes the subscriber's statistics count for test message <paramref name="sequence"/>.</summary>
    internal abstract long PayloadLengthOf(long sequence);

    /// <summary>Test message <paramref name="sequence"/> as a raw stream writes it (with the transport's framing).</summary>
    internal abstract byte[] RawMessage(long sequence);

    /// <summary>The start of a message announcing more than <see cref="MaxPayloadLength"/> bytes.</summary>
    internal abstract byte[] RawOversizeMessage { get; }

    /// <summary>Bytes where a message belongs that are not one.</summary>
    internal abstract byte[] RawGarbage { get; }

    /// <summary>The first part of a message whose framing announces more bytes than follow.</summary>
    internal abstract byte[] RawHalfMessage { get; }

    /// <summary>What the subscriber's log line says for each bad-input case.</summary>
    internal abstract string OversizeLogFragment { get; }

    internal abstract string GarbageLogFragment { get; }

    internal abstract string TruncatedLogFragment { get; }

    internal abstract string DisconnectMidMessageLogFragment { get; }

    /// <summary>The OS thread-name prefix (15 characters at most) of threads the transport itself starts; none may survive disposal.</summary>
    internal abstract string TransportThreadNamePrefix { get; }

    /// <summary>Threads named <see cref="TransportThreadNamePrefix"/> while serving <paramref name="connections"/> connections.</summary>
    internal abstract int TransportThreadsWhileRunning(int connections);

    [Theory]
    [InlineData(1, 10_000)]
    [InlineData(8, 10_000)]
    [InlineData(256, 2_560)]
    public async Task Messages_AreEachReceivedOnceWithIdenticalContent(int connectionCount, int messageCount)
    {
        var receipts = new SequenceReceipts(messageCount);
        await using IContractSubscriber subscriber = CreateContractSubscriber(receipts.Record, new SubscriberOptions { MaxPayloadLength = MaxPayloadLength });
        await subscriber.StartAsync();
        await using (IContractPublisher publisher = CreateContractPublisher(subscriber.EndPoint, new PublisherOptions { ConnectionCount = connectionCount }))
        {
            await publisher.ConnectAsync();
            await SendAsync(publisher, 0, messageCount);
        }

        await receipts.WaitForAsync(messageCount, Patience);
        receipts.AssertEachReceivedOnceIntact();
        // The handler runs before the connection's counters move on: the last message's count may lag its receipt.
        await Eventually.HoldsAsync(() => subscriber.Statistics.Frames == messageCount, Patience, () => $"the statistics to count {messageCount} messages (at {subscriber.Statistics.Frames})");
        TransportStatistics statistics = subscriber.Statistics;
        Assert.Equal(messageCount, statistics.Frames);
        Assert.Equal(Enumerable.Range(0, messageCount).Sum(sequence => PayloadLengthOf(sequence)), statistics.PayloadBytes);
        Assert.Equal(0, statistics.Errors);
    }

    [Fact]
    public Task OversizeMessage_IsLoggedAndClosesOnlyItsConnection() =>
        AssertBadInputClosesOnlyItsConnectionAsync(ClosedBy.Subscriber, raw => raw.WriteAsync(RawOversizeMessage), OversizeLogFragment);

    [Fact]
    public Task Garbage_IsLoggedAndClosesOnlyItsConnection() =>
        AssertBadInputClosesOnlyItsConnectionAsync(ClosedBy.Subscriber, raw => raw.WriteAsync(RawGarbage), GarbageLogFragment);

    [Fact]
    public Task TruncatedMessage_IsLoggedAndClosesOnlyItsConnection() =>
        AssertBadInputClosesOnlyItsConnectionAsync(
            ClosedBy.Subscriber,
            async raw =>
            {
                await raw.WriteAsync(RawHalfMessage);
                await raw.EndAsync();
            },
            TruncatedLogFragment);

    [Fact]
    public Task ClientDisconnectingMidMessage_IsLoggedAndClosesOnlyItsConnection() =>
        AssertBadInputClosesOnlyItsConnectionAsync(
            ClosedBy.Client,
            async raw =>
            {
                await raw.WriteAsync(RawHalfMessage);
                await Task.Delay(100); // let the half message arrive before the reset
                raw.Abort();
            },
            DisconnectMidMessageLogFragment);

    [Fact]
    public async Task SlowSubscriber_StallsThePublisherAndLosesNothing()
    {
        // Tens of megabytes in all (about 40 MB of frames; snapshots average 64 instruments): more than the kernel's
        // socket buffers (tcp_rmem max 32 MiB here, which autotuning reaches only while the reader keeps up) or the
        // HTTP/2 windows (1 MiB per stream) can hold.
        const int messageCount = 4_000;
        var receipts = new SequenceReceipts(messageCount);
        using var gate = new ManualResetEventSlim(false);
        await using IContractSubscriber subscriber = CreateContractSubscriber(
            (sequence, intact) =>
            {
                gate.Wait();
                receipts.Record(sequence, intact);
            },
            new SubscriberOptions { MaxPayloadLength = MaxPayloadLength });
        await subscriber.StartAsync();

        // Few requests in flight: in request-per-message mode each blocked handler holds a thread-pool thread.
        await using IContractPublisher publisher = CreateContractPublisher(subscriber.EndPoint, new PublisherOptions { MaxRequestsInFlightPerConnection = 4 });
        await publisher.ConnectAsync();

        int sent = 0;
        Task sending = Task.Run(async () =>
        {
            for (long sequence = 0; sequence < messageCount; sequence++)
            {
                await publisher.SendAsync(sequence);
                Volatile.Write(ref sent, (int)sequence + 1);
            }
        });

        // With the handler blocked, the buffers in between fill and flow control stops the sender well short of the end.
        await Task.Delay(1500);
        int sentWhileBlocked = Volatile.Read(ref sent);
        Assert.False(sending.IsCompleted);
        Assert.InRange(sentWhileBlocked, 1, messageCount / 2);

        gate.Set();
        await sending.WaitAsync(Patience);
        await receipts.WaitForAsync(messageCount, Patience);
        receipts.AssertEachReceivedOnceIntact();
    }

    [Fact]
    public async Task PortInUse_ThrowsTransportException()
    {
        await using IContractSubscriber first = CreateContractSubscriber(static (_, _) => { }, new SubscriberOptions());
        await first.StartAsync();
        await using IContractSubscriber second = CreateContractSubscriber(static (_, _) => { }, new SubscriberOptions { EndPoint = first.EndPoint, Log = static _ => { } });
        var exception = await Assert.ThrowsAsync<TransportException>(() => second.StartAsync());
        Assert.Contains(first.EndPoint is IPEndPoint bound ? bound.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) : first.EndPoint.ToString()!, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHandlerBlockedOnOneConnection_DoesNotStopANewConnectionBeingServed()
    {
        using var release = new ManualResetEventSlim(initialState: false);
        int firstTaken = 0;
        int othersReceived = 0;
        await using IContractSubscriber subscriber = CreateContractSubscriber((_, _) =>
        {
            if (Interlocked.Exchange(ref firstTaken, 1) == 0)
            {
                release.Wait(Patience); // the first message's handler holds its thread
                return;
            }
            Interlocked.Increment(ref othersReceived);
        }, new SubscriberOptions { MaxPayloadLength = MaxPayloadLength, Log = static _ => { } });
        await subscriber.StartAsync();
        byte[] message = RawMessage(0);

        IRawFrameStream? blocked = null;
        IRawFrameStream? other = null;
        try
        {
            // Written as soon as the connection exists, so the message is usually there when the server accepts it.
            blocked = await OpenRawStreamAsync(subscriber.EndPoint);
            await blocked.WriteAsync(message);
            await Eventually.HoldsAsync(() => Volatile.Read(ref firstTaken) == 1, Patience, "the first message to reach the handler");

            other = await OpenRawStreamAsync(subscriber.EndPoint);
            await other.WriteAsync(message);
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
        (EndPoint elsewhere, string named) = AnEndPointThisHostCannotBind;
        await using IContractSubscriber subscriber = CreateContractSubscriber(static (_, _) => { }, new SubscriberOptions { EndPoint = elsewhere, Log = static _ => { } });
        var exception = await Assert.ThrowsAsync<TransportException>(() => subscriber.StartAsync());
        Assert.Contains(named, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusedConnection_ThrowsTransportException()
    {
        (EndPoint nobody, string named) = AnEndPointNobodyListensOn();
        // A timeout far above the bound below: a connect that waited it out instead of taking the refusal fails.
        await using IContractPublisher publisher = CreateContractPublisher(nobody, new PublisherOptions { ConnectTimeout = TimeSpan.FromSeconds(30) });
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        var exception = await Assert.ThrowsAsync<TransportException>(() => publisher.ConnectAsync().WaitAsync(TimeSpan.FromSeconds(40)));
        Assert.Contains(named, exception.Message, StringComparison.Ordinal);
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(5), $"refused after {elapsed.Elapsed}: the refusal was waited out, not taken");
    }

    [Fact]
    public async Task SubscriberGoneMidRun_ThrowsTransportExceptionOnSend()
    {
        IContractSubscriber subscriber = CreateContractSubscriber(static (_, _) => { }, new SubscriberOptions { MaxPayloadLength = MaxPayloadLength, Log = static _ => { } });
        await subscriber.StartAsync();
        await using IContractPublisher publisher = CreateContractPublisher(subscriber.EndPoint, new PublisherOptions());
        await publisher.ConnectAsync();
        await publisher.SendAsync(0);
        await subscriber.DisposeAsync();

        // The first sends after the close may still be buffered before the reset comes back; within a few they fail.
        Task sendUntilFailure = Task.Run(async () =>
        {
            for (long sequence = 1; ; sequence++)
            {
                await publisher.SendAsync(sequence);
                await Task.Delay(1);
            }
        });
        await Assert.ThrowsAsync<TransportException>(() => sendUntilFailure.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Shutdown_LeavesNoSocketsOrThreads()
    {
        int socketsBefore = await ProcessResources.SettledOpenSocketsAsync();
        var receipts = new SequenceReceipts(400);
        await using (IContractSubscriber subscriber = CreateContractSubscriber(receipts.Record, new SubscriberOptions { MaxPayloadLength = MaxPayloadLength }))
        {
            await subscriber.StartAsync();
            await using (IContractPublisher publisher = CreateContractPublisher(subscriber.EndPoint, new PublisherOptions { ConnectionCount = 4 }))
            {
                await publisher.ConnectAsync();
                await SendAsync(publisher, 0, 400);
                await receipts.WaitForAsync(400, Patience);
                int established = ConnectionEndsAt(subscriber.EndPoint);
                Assert.True(established >= 4 * ConnectionEndsSeenPerConnection, $"{established} connection ends at the subscriber while running, expected {4 * ConnectionEndsSeenPerConnection} for 4 connections");
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

    private static async Task SendAsync(IContractPublisher publisher, long first, int count)
    {
        for (long sequence = first; sequence < first + count; sequence++)
        {
            await publisher.SendAsync(sequence);
        }
    }

    /// <summary>Who ends the misbehaving connection first: the subscriber (bad bytes) or the client (an abrupt disconnect).</summary>
    private enum ClosedBy
    {
        Subscriber,
        Client,
    }

    /// <summary>
    /// A raw connection misbehaves next to a well-behaved publisher: the fault is logged once, the subscriber closes
    /// that connection (the raw client sees it closed; its sockets go away), and the publisher's messages keep arriving.
    /// </summary>
    private async Task AssertBadInputClosesOnlyItsConnectionAsync(ClosedBy closedBy, Func<IRawFrameStream, Task> misbehave, string expectedLogFragment)
    {
        var log = new LogLines();
        var receipts = new SequenceReceipts(200);
        await using IContractSubscriber subscriber = CreateContractSubscriber(receipts.Record, new SubscriberOptions { MaxPayloadLength = MaxPayloadLength, Log = log.Sink });
        await subscriber.StartAsync();
        await using IContractPublisher publisher = CreateContractPublisher(subscriber.EndPoint, new PublisherOptions());
        await publisher.ConnectAsync();
        await SendAsync(publisher, 0, 100);

        // A client that resets its end cannot see the subscriber close its own: only the socket count can, and only if
        // no finalizer closes a socket the subscriber leaked meanwhile.
        using (NoCollectionWindow.Open())
        {
            // Taken with the publisher's connections open: only the raw connection's sockets come and go after it.
            int socketsBefore = await ProcessResources.SettledOpenSocketsAsync();
            await using (IRawFrameStream raw = await OpenRawStreamAsync(subscriber.EndPoint))
            {
                await raw.WriteAsync(RawMessage(0)); // one good message first
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
        await SendAsync(publisher, 100, 100);
        await receipts.WaitForAsync(201, Patience);
        Assert.Equal(201, receipts.Received); // 200 from the publisher, plus message 0 again from the raw stream
        Assert.True(log.All.Count == 1, $"log: {string.Join(" | ", log.All)}");
        Assert.Equal(1, subscriber.Statistics.Errors);
    }
}
