using ShmIpc.Codecs;
using ShmIpc.Harness.Protocol;
using ShmIpc.NetTransports;

namespace ShmIpc.Harness.Child.Transports;

/// <summary>
/// Sends snapshots over a byte-frame transport (MessagePack/TCP, FlatBuffers/HTTP/2): the codec
/// encodes each one straight into the transport's send buffer through a static encoder, so a send
/// allocates nothing unless the transport has to wait for buffer space. The transport's failures surface as
/// <see cref="TransportFaultException"/>.
/// </summary>
internal sealed class FrameSnapshotSender : ISnapshotSender
{
    private static readonly FrameEncoder<(ISnapshotCodec Codec, MarketSnapshot Snapshot)> EncodeSnapshot =
        static (destination, state) => state.Codec.Encode(state.Snapshot, destination);

    private readonly TransportKind _transport;
    private readonly IFramePublisher _publisher;
    private readonly ISnapshotCodec _codec;
    private readonly int _maxEncodedLength;
    private readonly ValueTaskWaiter _waiter = new();

    private FrameSnapshotSender(TransportKind transport, IFramePublisher publisher, ISnapshotCodec codec, int instrumentCount)
    {
        _transport = transport;
        _publisher = publisher;
        _codec = codec;
        _maxEncodedLength = codec.GetMaxEncodedLength(instrumentCount);
    }

    public static async Task<ISnapshotSender> ConnectAsync(TransportKind transport, IFramePublisher publisher, ISnapshotCodec codec, int instrumentCount)
    {
        try
        {
            await publisher.ConnectAsync().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            await publisher.DisposeAsync().ConfigureAwait(false);
            throw exception is TransportException failed ? new TransportFaultException(transport, failed.Message, failed) : exception;
        }
        return new FrameSnapshotSender(transport, publisher, codec, instrumentCount);
    }

    public void Send(MarketSnapshot snapshot, bool moreDue)
    {
        try
        {
            _waiter.Wait(moreDue
                ? _publisher.WriteAsync(_maxEncodedLength, EncodeSnapshot, (_codec, snapshot))
                : _publisher.SendAsync(_maxEncodedLength, EncodeSnapshot, (_codec, snapshot)));
        }
        catch (TransportException exception)
        {
            throw Fault(exception);
        }
    }

    /// <summary>Nothing to ready: the socket's buffers are the kernel's.</summary>
    public void PrepareForNext()
    {
    }

    public void Flush()
    {
        try
        {
            _waiter.Wait(_publisher.FlushAsync());
        }
        catch (TransportException exception)
        {
            throw Fault(exception);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _waiter.Dispose();
        try
        {
            await _publisher.DisposeAsync().ConfigureAwait(false);
        }
        catch (TransportException exception)
        {
            throw Fault(exception);
        }
    }

    private TransportFaultException Fault(TransportException exception) => new(_transport, exception.Message, exception);
}
