using System.Buffers;
using System.Net.Sockets;
using ShmIpc.NetTransports.Grpc;
using ShmIpc.NetTransports.Tests.UnixSockets;

namespace ShmIpc.NetTransports.Tests.Grpc;

/// <summary>
/// gRPC over a Unix domain socket (Kestrel's ListenUnixSocket; Grpc.Net.Client's ConnectCallback): every frame intact
/// on both call shapes, the socket file's life as the uds transport's (0600, removed on dispose, a live one refused),
/// and a missing socket refused at connect.
/// </summary>
public sealed class GrpcUnixSocketTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TestSocketDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Frames_AreEachReceivedOnceIntact_OverAUnixSocket(bool unary)
    {
        const int Count = 1_000;
        var receipts = new FrameReceipts(Count);
        await using var subscriber = new GrpcFrameSubscriber(receipts.Record, new SubscriberOptions { EndPoint = _directory.NextEndPoint(), MaxPayloadLength = TestFrames.MaxPayloadLength });
        await subscriber.StartAsync();
        Assert.IsType<UnixDomainSocketEndPoint>(subscriber.EndPoint);
        await using (var publisher = new GrpcFramePublisher(subscriber.EndPoint, new PublisherOptions { ConnectionCount = 2, RequestPerMessage = unary }))
        {
            await publisher.ConnectAsync();
            for (long sequence = 0; sequence < Count; sequence++)
            {
                await publisher.SendAsync(TestFrames.LengthOf(sequence), static (destination, sequence) => TestFrames.Write(destination, sequence), sequence);
            }
        }

        await receipts.WaitForAsync(Count, Patience);
        receipts.AssertEachReceivedOnceIntact();
        Assert.Equal(0, subscriber.Statistics.Errors);
    }

    [Fact]
    public async Task TheSocketFile_IsMode0600WhileListening_ALiveOneIsRefused_AndItIsRemovedOnDispose()
    {
        string path = _directory.NextPath();
        await using (var subscriber = new GrpcFrameSubscriber(static (in ReadOnlySequence<byte> _) => { }, new SubscriberOptions { EndPoint = new UnixDomainSocketEndPoint(path) }))
        {
            await subscriber.StartAsync();
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            await using var second = new GrpcFrameSubscriber(static (in ReadOnlySequence<byte> _) => { }, new SubscriberOptions { EndPoint = new UnixDomainSocketEndPoint(path) });
            TransportException refused = await Assert.ThrowsAsync<TransportException>(() => second.StartAsync());
            Assert.Contains(path, refused.Message, StringComparison.Ordinal);
        }

        Assert.False(File.Exists(path), "the socket file outlived its subscriber");
    }

    [Fact]
    public async Task APublisherToAMissingSocket_IsRefusedAtConnect()
    {
        await using var publisher = new GrpcFramePublisher(_directory.NextEndPoint(), new PublisherOptions { ConnectTimeout = TimeSpan.FromSeconds(2) });
        await Assert.ThrowsAsync<TransportException>(() => publisher.ConnectAsync());
    }
}
