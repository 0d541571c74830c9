using System.Buffers;
using ShmIpc.Harness.Protocol;
using ShmIpc.NetTransports;

namespace ShmIpc.Harness.Child.Transports;

/// <summary>
/// Receives snapshots over a byte-frame transport: each frame is read in place from the
/// transport's receive buffer by the codec (a frame split across segments stays a multi-segment
/// sequence). Connections may deliver on several threads at once, so each delivery rents a sink
/// (codecs and recorders keep per-sink state) from a pool. A listener that cannot start is a
/// <see cref="TransportFaultException"/>.
/// </summary>
internal sealed class FrameSnapshotReceiver : ISnapshotReceiver
{
    private readonly IFrameSubscriber _subscriber;

    private FrameSnapshotReceiver(IFrameSubscriber subscriber) => _subscriber = subscriber;

    public string Endpoint => EndPoints.Format(_subscriber.EndPoint);

    public long TransportErrors => _subscriber.Statistics.Errors;

    /// <summary>Never: a bad connection is closed and the others are still served.</summary>
    public bool Failed => false;

    /// <summary>Creates the subscriber through <paramref name="createSubscriber"/> with this receiver's frame handler, and starts it.</summary>
    public static async Task<ISnapshotReceiver> StartAsync(TransportKind transport, Func<FrameHandler, IFrameSubscriber> createSubscriber, Func<SnapshotReceiveSink> createSink)
    {
        var sinks = new SnapshotReceiveSinkPool(createSink, SnapshotReceiveSinkPool.DefaultCapacity);
        IFrameSubscriber subscriber = createSubscriber((in ReadOnlySequence<byte> payload) =>
        {
            SnapshotReceiveSink sink = sinks.Rent();
            try
            {
                sink.OnPayload(payload);
            }
            finally
            {
                sinks.Return(sink);
            }
        });
        try
        {
            await subscriber.StartAsync().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            await subscriber.DisposeAsync().ConfigureAwait(false);
            throw exception is TransportException failed ? new TransportFaultException(transport, failed.Message, failed) : exception;
        }
        return new FrameSnapshotReceiver(subscriber);
    }

    public ValueTask DisposeAsync() => _subscriber.DisposeAsync();
}
