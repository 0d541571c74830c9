using ShmIpc.Codecs;
using ShmIpc.NetTransports;

namespace ShmIpc.Harness.Child.Transports;

/// <summary>
/// Sends snapshots over a byte-frame transport (MessagePack/TCP, FlatBuffers/HTTP/2): the codec
/// encodes each one straight into the transport's send buffer through a static encoder, so a send
/// allocates nothing unless the transport has to wait for buffer space.
/// </summary>
internal sealed class FrameSnapshotSender : ISnapshotSender
{
    private static readonly FrameEncoder<(ISnapshotCodec Codec, MarketSnapshot Snapshot)> EncodeSnapshot =
        static (destination, state) => state.Codec.Encode(state.Snapshot, destination);

    private readonly IFramePublisher _publisher;
    private readonly ISnapshotCodec _codec;
    private readonly int _maxEncodedLength;
    private readonly ValueTaskWaiter _waiter = new();

    private FrameSnapshotSender(IFramePublisher publisher, ISnapshotCodec codec, int instrumentCount)
    {
        _publisher = publisher;
        _codec = codec;
        _maxEncodedLength = codec.GetMaxEncodedLength(instrumentCount);
    }

    public static async Task<ISnapshotSender> ConnectAsync(IFramePublisher publisher, ISnapshotCodec codec, int instrumentCount)
    {
        try
        {
            await publisher.ConnectAsync().ConfigureAwait(false);
        }
        catch
        {
            await publisher.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return new FrameSnapshotSender(publisher, codec, instrumentCount);
    }

    public void Send(MarketSnapshot snapshot, bool moreDue)
    {
        _waiter.Wait(moreDue
            ? _publisher.WriteAsync(_maxEncodedLength, EncodeSnapshot, (_codec, snapshot))
            : _publisher.SendAsync(_maxEncodedLength, EncodeSnapshot, (_codec, snapshot)));
    }

    public void Flush() => _waiter.Wait(_publisher.FlushAsync());

    public ValueTask DisposeAsync()
    {
        _waiter.Dispose();
        return _publisher.DisposeAsync();
    }
}
