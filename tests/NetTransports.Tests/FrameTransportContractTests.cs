using System.Net;

namespace ShmIpc.NetTransports.Tests;

/// <summary>
/// What every byte-frame transport must do on top of <see cref="TransportContractTests"/>, run against each one by a
/// derived class: frames sent from a copy, written frames and their batches. What only transports that hold written
/// frames must do is in <see cref="HeldFrameTransportContractTests"/>.
/// </summary>
public abstract class FrameTransportContractTests : TransportContractTests
{
    internal abstract IFrameSubscriber CreateSubscriber(FrameHandler handler, SubscriberOptions options);

    internal abstract IFramePublisher CreatePublisher(EndPoint endPoint, PublisherOptions options);

    internal sealed override IContractSubscriber CreateContractSubscriber(MessageHandler onMessage, SubscriberOptions options) =>
        new FrameContractSubscriber(CreateSubscriber((in System.Buffers.ReadOnlySequence<byte> payload) => onMessage(TestFrames.SequenceOf(payload), TestFrames.IsIntact(payload)), options));

    internal sealed override IContractPublisher CreateContractPublisher(EndPoint endPoint, PublisherOptions options) =>
        new FrameContractPublisher(CreatePublisher(endPoint, options));

    internal sealed override int MaxPayloadLength => TestFrames.MaxPayloadLength;

    internal sealed override long PayloadLengthOf(long sequence) => TestFrames.LengthOf(sequence);

    internal sealed override byte[] RawMessage(long sequence) => [.. Header(TestFrames.LengthOf(sequence)), .. TestFrames.Create(sequence)];

    internal sealed override byte[] RawOversizeMessage => Header(TestFrames.MaxPayloadLength + 1);

    internal sealed override byte[] RawGarbage
    {
        get
        {
            byte[] garbage = new byte[256];
            new Random(7).NextBytes(garbage);
            garbage[0] = 0x00; // never the marker's first byte
            return garbage;
        }
    }

    internal sealed override byte[] RawHalfMessage => [.. Header(1000), .. new byte[500]];

    internal sealed override string OversizeLogFragment => "exceeds the maximum of 20000 bytes";

    internal sealed override string GarbageLogFragment => "not a frame";

    internal sealed override string TruncatedLogFragment => "ended mid-frame: 508 bytes of an incomplete frame (header announced 1000 payload bytes)";

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
    private protected async Task<IFramePublisher> HoldMoreThanAStalledReaderTakesAsync(EndPoint endPoint)
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
