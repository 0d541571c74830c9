namespace ShmIpc.NetTransports.Tests;

/// <summary>
/// The contract of a transport that holds written frames until a flush, a full batch or the next send (TCP, HTTP/2
/// streaming): on top of <see cref="FrameTransportContractTests"/>, held frames stay held, and a held tail stuck
/// behind a reader that stopped ends in a bounded, explained failure. Request-per-message HTTP/2 sends every frame at
/// once and has none of this (its dispose bound has its own tests), so it derives from the base contract alone.
/// </summary>
public abstract class HeldFrameTransportContractTests : FrameTransportContractTests
{
    [Fact]
    public async Task WrittenFrames_AreHeldUntilFlushed()
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

        // ~250 KB written, under the 1 MiB batch: still in the publisher's buffer, so none can arrive.
        await Task.Delay(200);
        Assert.Equal(0, receipts.Received);

        await publisher.FlushAsync();
        await receipts.WaitForAsync(frameCount, Patience);
        receipts.AssertEachReceivedOnceIntact();
    }

    [Fact]
    public async Task DisposingAPublisherWhoseSubscriberReadsNothing_EndsWithinItsTimeout_AndSaysSo()
    {
        using var release = new ManualResetEventSlim(initialState: false);
        await using IFrameSubscriber subscriber = await StartStalledSubscriberAsync(release);
        try
        {
            IFramePublisher publisher = await HoldMoreThanAStalledReaderTakesAsync(subscriber.EndPoint);

            var elapsed = System.Diagnostics.Stopwatch.StartNew();
            // Bounded here too, so a publisher that does hang fails this test instead of hanging the run.
            var exception = await Assert.ThrowsAsync<TransportException>(() => publisher.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20)));
            Assert.InRange(elapsed.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(15));
            Assert.Contains("not delivered", exception.Message, StringComparison.Ordinal);
        }
        finally
        {
            release.Set();
        }
    }

    [Fact]
    public async Task ASendCancelledWhileWaiting_LeavesTheConnectionClosedToFurtherFrames()
    {
        using var release = new ManualResetEventSlim(initialState: false);
        await using IFrameSubscriber subscriber = await StartStalledSubscriberAsync(release);
        try
        {
            await using IFramePublisher publisher = await HoldMoreThanAStalledReaderTakesAsync(subscriber.EndPoint);

            // The flush waits on the reader that stopped, and is cancelled part way.
            using var patience = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => publisher.FlushAsync(patience.Token).AsTask().WaitAsync(TimeSpan.FromSeconds(20)));

            var exception = await Assert.ThrowsAsync<TransportException>(
                () => publisher.SendAsync(TestFrames.MaxPayloadLength, static (destination, sequence) => TestFrames.Write(destination, sequence), 2_000L).AsTask()
                    .WaitAsync(TimeSpan.FromSeconds(20))); // a connection still taking frames would wait on the stalled reader
            Assert.Contains("broken", exception.Message, StringComparison.Ordinal);
        }
        finally
        {
            release.Set();
        }
    }
}
