using System.Net;
using ShmIpc.NetTransports.Grpc;

namespace ShmIpc.NetTransports.Tests.Grpc;

/// <summary>
/// <see cref="GrpcFramePublisher.WriteAsync{TState}"/> (frames a sender that knows more are due lets the streaming call
/// hold and send together) over a real subscriber: every frame arrives once, intact, and a subscriber that goes away
/// fails a later write or flush with <see cref="TransportException"/> instead of losing frames silently or hanging.
/// </summary>
public sealed class GrpcHeldWriteTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(1, 3_000)]
    [InlineData(3, 3_000)]
    public async Task WrittenFrames_AreEachReceivedOnceIntact_AfterFlush(int connectionCount, int frameCount)
    {
        var receipts = new FrameReceipts(frameCount);
        await using var subscriber = new GrpcFrameSubscriber(receipts.Record, new SubscriberOptions { MaxPayloadLength = TestFrames.MaxPayloadLength });
        await subscriber.StartAsync();
        await using var publisher = new GrpcFramePublisher(subscriber.EndPoint, new PublisherOptions { ConnectionCount = connectionCount });
        await publisher.ConnectAsync();
        for (long sequence = 0; sequence < frameCount; sequence++)
        {
            // Every tenth a send that may not be held, as a sender that has caught up makes.
            ValueTask sent = sequence % 10 == 9
                ? publisher.SendAsync(TestFrames.LengthOf(sequence), static (destination, sequence) => TestFrames.Write(destination, sequence), sequence)
                : publisher.WriteAsync(TestFrames.LengthOf(sequence), static (destination, sequence) => TestFrames.Write(destination, sequence), sequence);
            await sent;
        }

        await publisher.FlushAsync();
        await receipts.WaitForAsync(frameCount, Patience);
        receipts.AssertEachReceivedOnceIntact();
    }

    [Fact]
    public async Task SubscriberGoneMidRun_FailsAWriteOrFlushWithTransportException()
    {
        var subscriber = new GrpcFrameSubscriber(static (in System.Buffers.ReadOnlySequence<byte> _) => { }, new SubscriberOptions { MaxPayloadLength = TestFrames.MaxPayloadLength, Log = static _ => { } });
        await subscriber.StartAsync();
        await using var publisher = new GrpcFramePublisher((IPEndPoint)subscriber.EndPoint);
        await publisher.ConnectAsync();
        await publisher.SendAsync(TestFrames.Create(0));
        await subscriber.DisposeAsync();

        // Writes are taken into the call's buffer; the reset comes back within a few, and a write or flush says so.
        Task writeUntilFailure = Task.Run(async () =>
        {
            for (long sequence = 1; ; sequence++)
            {
                await publisher.WriteAsync(TestFrames.LengthOf(sequence), static (destination, sequence) => TestFrames.Write(destination, sequence), sequence);
                await publisher.FlushAsync();
                await Task.Delay(1);
            }
        });
        await Assert.ThrowsAsync<TransportException>(() => writeUntilFailure.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
