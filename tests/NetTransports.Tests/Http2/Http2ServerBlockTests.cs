using System.Buffers;
using ShmIpc.NetTransports.Http2;

namespace ShmIpc.NetTransports.Tests.Http2;

/// <summary>
/// Proves Kestrel reads into the pool <see cref="SubscriberOptions.ServerBlockBytes"/> sets: with its own 4 KiB blocks
/// no 16 KiB frame reaches the handler in one piece; with 64 KiB blocks most do.
/// </summary>
public sealed class Http2ServerBlockTests
{
    private const int FrameCount = 1_000;
    private const int PayloadLength = 16 * 1024;

    [Fact]
    public async Task WithLargeServerBlocks_MostFramesArriveInOnePiece()
    {
        (int whole, int received) = await SendAsync(serverBlockBytes: 64 * 1024);

        Assert.Equal(FrameCount, received);
        Assert.InRange(whole, FrameCount / 2, FrameCount);
    }

    [Fact]
    public async Task WithKestrelsOwnBlocks_NoFrameArrivesInOnePiece()
    {
        (int whole, int received) = await SendAsync(serverBlockBytes: 0);

        Assert.Equal(FrameCount, received);
        Assert.Equal(0, whole);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1024)]
    [InlineData(2 * 1024 * 1024)]
    public void ServerBlocksOutsideFourKiBToOneMiB_AreRefused(int serverBlockBytes)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(
            () => new Http2FrameSubscriber(static (in ReadOnlySequence<byte> _) => { }, new SubscriberOptions { ServerBlockBytes = serverBlockBytes }));
        Assert.Equal(nameof(SubscriberOptions.ServerBlockBytes), exception.ParamName);
    }

    private static async Task<(int Whole, int Received)> SendAsync(int serverBlockBytes)
    {
        int whole = 0;
        int received = 0;
        var options = new SubscriberOptions { ServerBlockBytes = serverBlockBytes };
        await using var subscriber = new Http2FrameSubscriber((in ReadOnlySequence<byte> payload) =>
        {
            if (payload.IsSingleSegment && payload.Length == PayloadLength)
            {
                Interlocked.Increment(ref whole);
            }
            Interlocked.Increment(ref received);
        }, options);
        await subscriber.StartAsync();
        await using (var publisher = FramePublisher.CreateHttp2(subscriber.EndPoint))
        {
            await publisher.ConnectAsync();
            for (int frame = 0; frame < FrameCount; frame++)
            {
                await publisher.SendAsync(PayloadLength, static (destination, frame) =>
                {
                    destination[..PayloadLength].Fill((byte)frame);
                    return PayloadLength;
                }, frame);
            }
        }

        await Eventually.HoldsAsync(() => Volatile.Read(ref received) == FrameCount, TimeSpan.FromSeconds(30), () => $"{FrameCount} frames received (got {Volatile.Read(ref received)})");
        return (Volatile.Read(ref whole), Volatile.Read(ref received));
    }
}
