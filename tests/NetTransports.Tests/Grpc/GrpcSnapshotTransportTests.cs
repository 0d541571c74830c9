using System.Net;
using Google.Protobuf;
using ShmIpc.Codecs.Protobuf;
using ShmIpc.NetTransports.Grpc;

namespace ShmIpc.NetTransports.Tests.Grpc;

/// <summary>gRPC + Protobuf: delivery, bad input, backpressure, connection faults and shutdown.</summary>
public sealed class GrpcSnapshotTransportTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(false, 1, 10_000)]
    [InlineData(false, 8, 10_000)]
    [InlineData(false, 256, 2_560)]
    [InlineData(true, 1, 2_000)]
    [InlineData(true, 8, 2_000)]
    public async Task Snapshots_AreEachReceivedOnceWithIdenticalContent(bool unary, int connectionCount, int count)
    {
        var receipts = new SnapshotReceipts(count);
        await using var subscriber = new GrpcSnapshotSubscriber(receipts.Record);
        await subscriber.StartAsync();
        await using (var publisher = new GrpcSnapshotPublisher(subscriber.EndPoint, new PublisherOptions { ConnectionCount = connectionCount, RequestPerMessage = unary }))
        {
            await publisher.ConnectAsync();
            await SendAsync(publisher, 0, count);
        }

        await receipts.WaitForAsync(count, Patience);
        receipts.AssertEachReceivedOnceIntact();
        // The handler runs before the connection's counters move on: the last frame's count may lag its receipt.
        await Eventually.HoldsAsync(() => subscriber.Statistics.Frames == count, Patience, () => $"the statistics to count {count} snapshots (at {subscriber.Statistics.Frames})");
        TransportStatistics statistics = subscriber.Statistics;
        Assert.Equal(count, statistics.Frames);
        Assert.Equal(Enumerable.Range(0, count).Sum(sequence => (long)TestSnapshots.Create(sequence).CalculateSize()), statistics.PayloadBytes);
        Assert.Equal(0, statistics.Errors);
    }

    [Fact]
    public async Task OversizeMessage_IsLoggedAndClosesOnlyItsCall()
    {
        await AssertBadInputClosesOnlyItsCallAsync(clientLeavesFirst: false, raw => raw.WriteAsync(RawGrpcCallStream.Message([], announcedLength: 100_000)), "ResourceExhausted");
    }

    [Fact]
    public async Task GarbageMessage_IsLoggedAndClosesOnlyItsCall()
    {
        // Field 3 (instruments) announcing 200 bytes of a nested message where only 4 follow.
        await AssertBadInputClosesOnlyItsCallAsync(clientLeavesFirst: false, raw => raw.WriteAsync(RawGrpcCallStream.Message([0x1A, 0xC8, 0x01, 0x08, 0x01, 0x10, 0x02])), "closed: ");
    }

    [Fact]
    public async Task TruncatedMessage_IsLoggedAndClosesOnlyItsCall()
    {
        byte[] half = RawGrpcCallStream.Message(TestSnapshots.Create(5).ToByteArray())[..200];
        await AssertBadInputClosesOnlyItsCallAsync(
            clientLeavesFirst: false,
            async raw =>
            {
                await raw.WriteAsync(half);
                await raw.EndAsync();
            },
            "closed: ");
    }

    [Fact]
    public async Task ClientDisconnectingMidMessage_IsLoggedAndClosesOnlyItsCall()
    {
        byte[] half = RawGrpcCallStream.Message(TestSnapshots.Create(5).ToByteArray())[..200];
        await AssertBadInputClosesOnlyItsCallAsync(
            clientLeavesFirst: true,
            async raw =>
            {
                await raw.WriteAsync(half);
                await Task.Delay(100);
                raw.Abort();
            },
            "closed: ");
    }

    [Fact]
    public async Task SlowSubscriber_StallsThePublisherAndLosesNothing()
    {
        const int count = 2_000;
        var receipts = new SnapshotReceipts(count);
        using var gate = new ManualResetEventSlim(false);
        await using var subscriber = new GrpcSnapshotSubscriber(snapshot =>
        {
            gate.Wait();
            receipts.Record(snapshot);
        });
        await subscriber.StartAsync();
        await using var publisher = new GrpcSnapshotPublisher(subscriber.EndPoint);
        await publisher.ConnectAsync();

        int sent = 0;
        Task sending = Task.Run(async () =>
        {
            var snapshot = new Snapshot();
            for (long sequence = 0; sequence < count; sequence++)
            {
                TestSnapshots.Fill(snapshot, sequence);
                await publisher.SendAsync(snapshot);
                Volatile.Write(ref sent, (int)sequence + 1);
            }
        });

        // The handler is blocked: the HTTP/2 windows fill and the publisher waits for credit.
        await Task.Delay(1500);
        Assert.False(sending.IsCompleted);
        Assert.InRange(Volatile.Read(ref sent), 1, count / 2);

        gate.Set();
        await sending.WaitAsync(Patience);
        await receipts.WaitForAsync(count, Patience);
        receipts.AssertEachReceivedOnceIntact();
    }

    [Fact]
    public async Task PortInUse_ThrowsTransportException()
    {
        await using var first = new GrpcSnapshotSubscriber(static _ => { });
        await first.StartAsync();
        await using var second = new GrpcSnapshotSubscriber(static _ => { }, new SubscriberOptions { EndPoint = first.EndPoint, Log = static _ => { } });
        var exception = await Assert.ThrowsAsync<TransportException>(() => second.StartAsync());
        Assert.Contains(first.EndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAddressThisHostDoesNotHave_ThrowsTransportException()
    {
        // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never assigned to a host, so binding fails with "address not available".
        await using var subscriber = new GrpcSnapshotSubscriber(static _ => { }, new SubscriberOptions { EndPoint = new IPEndPoint(IPAddress.Parse("192.0.2.1"), 0), Log = static _ => { } });
        var exception = await Assert.ThrowsAsync<TransportException>(() => subscriber.StartAsync());
        Assert.Contains("192.0.2.1", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RefusedConnection_ThrowsTransportException(bool unary)
    {
        IPEndPoint nobody = LoopbackPorts.Unused();
        // A timeout far above the bound below: a connect that waited it out instead of taking the refusal fails.
        await using var publisher = new GrpcSnapshotPublisher(nobody, new PublisherOptions { ConnectTimeout = TimeSpan.FromSeconds(30), RequestPerMessage = unary });
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        var exception = await Assert.ThrowsAsync<TransportException>(() => publisher.ConnectAsync().WaitAsync(TimeSpan.FromSeconds(40)));
        Assert.Contains(nobody.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), exception.Message, StringComparison.Ordinal);
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(5), $"refused after {elapsed.Elapsed}: the refusal was waited out, not taken");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SubscriberGoneMidRun_ThrowsTransportExceptionOnSend(bool unary)
    {
        var subscriber = new GrpcSnapshotSubscriber(static _ => { }, new SubscriberOptions { Log = static _ => { } });
        await subscriber.StartAsync();
        await using var publisher = new GrpcSnapshotPublisher(subscriber.EndPoint, new PublisherOptions { RequestPerMessage = unary });
        await publisher.ConnectAsync();
        await publisher.SendAsync(TestSnapshots.Create(0));
        await subscriber.DisposeAsync();

        Task sendUntilFailure = Task.Run(async () =>
        {
            var snapshot = new Snapshot();
            for (long sequence = 1; ; sequence++)
            {
                TestSnapshots.Fill(snapshot, sequence);
                await publisher.SendAsync(snapshot);
                await Task.Delay(1);
            }
        });
        await Assert.ThrowsAsync<TransportException>(() => sendUntilFailure.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Shutdown_LeavesNoSocketsOrThreads()
    {
        int socketsBefore = await ProcessResources.SettledOpenSocketsAsync();
        var receipts = new SnapshotReceipts(400);
        await using (var subscriber = new GrpcSnapshotSubscriber(receipts.Record))
        {
            await subscriber.StartAsync();
            await using (var publisher = new GrpcSnapshotPublisher(subscriber.EndPoint, new PublisherOptions { ConnectionCount = 4 }))
            {
                await publisher.ConnectAsync();
                await SendAsync(publisher, 0, 400);
                await receipts.WaitForAsync(400, Patience);
                // Counted by port: sockets an earlier test left closing late cannot skew it.
                int established = ProcessResources.EstablishedConnectionsOnPort(subscriber.EndPoint.Port);
                Assert.True(established >= 8, $"{established} connection ends on the subscriber's port while running, expected 4 client + 4 server");
                Assert.Equal(1, ProcessResources.ThreadsNamed("Kestrel Timer")); // Kestrel's heartbeat thread
            }
        }

        receipts.AssertEachReceivedOnceIntact();
        await Eventually.HoldsAsync(
            () => ProcessResources.OpenSockets() <= socketsBefore,
            TimeSpan.FromSeconds(5),
            () => $"sockets back to {socketsBefore} (now {ProcessResources.OpenSockets()})");
        await Eventually.HoldsAsync(() => ProcessResources.ThreadsNamed("Kestrel Timer") == 0, TimeSpan.FromSeconds(5), "Kestrel's heartbeat thread to end with the server");
    }

    private static async Task SendAsync(GrpcSnapshotPublisher publisher, long first, int count)
    {
        // One snapshot object refilled for every message, as the harness does: a send must be done with it on return.
        var snapshot = new Snapshot();
        for (long sequence = first; sequence < first + count; sequence++)
        {
            TestSnapshots.Fill(snapshot, sequence);
            await publisher.SendAsync(snapshot);
        }
    }

    /// <summary>
    /// A raw call misbehaves next to a well-behaved publisher: logged once, the subscriber ends that call (the raw
    /// client sees its response or a reset, unless it left first; its sockets go away), and the publisher's snapshots
    /// keep arriving.
    /// </summary>
    private static async Task AssertBadInputClosesOnlyItsCallAsync(bool clientLeavesFirst, Func<IRawFrameStream, Task> misbehave, string expectedLogFragment)
    {
        var log = new LogLines();
        var receipts = new SnapshotReceipts(200);
        await using var subscriber = new GrpcSnapshotSubscriber(receipts.Record, new SubscriberOptions { MaxPayloadLength = 64 * 1024, Log = log.Sink });
        await subscriber.StartAsync();
        await using var publisher = new GrpcSnapshotPublisher(subscriber.EndPoint);
        await publisher.ConnectAsync();
        await SendAsync(publisher, 0, 100);

        // Taken with the publisher's connection open: only the raw call's connection comes and goes after it.
        int socketsBefore = await ProcessResources.SettledOpenSocketsAsync();
        await using (IRawFrameStream raw = await RawGrpcCallStream.OpenAsync(subscriber.EndPoint))
        {
            await raw.WriteAsync(RawGrpcCallStream.Message(TestSnapshots.Create(0).ToByteArray())); // one good message first
            await misbehave(raw);
            await log.WaitForAsync(expectedLogFragment, Patience);
            if (!clientLeavesFirst)
            {
                await raw.WaitUntilClosedBySubscriberAsync(Patience);
            }
        }

        await Eventually.HoldsAsync(
            () => ProcessResources.OpenSockets() <= socketsBefore,
            TimeSpan.FromSeconds(10),
            () => $"the bad call's sockets closed ({socketsBefore} open before it, {ProcessResources.OpenSockets()} now)");

        // The well-behaved call keeps being served.
        await SendAsync(publisher, 100, 100);
        await receipts.WaitForAsync(201, Patience);
        Assert.Equal(201, receipts.Received); // 200 from the publisher, plus snapshot 0 again from the raw call
        Assert.True(log.All.Count == 1, $"log: {string.Join(" | ", log.All)}");
        Assert.Equal(1, subscriber.Statistics.Errors);
    }
}
