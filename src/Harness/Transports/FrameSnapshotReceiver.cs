using System.Buffers;
using ShmIpc.NetTransports;

namespace ShmIpc.Harness.Transports;

/// <summary>
/// Receives snapshots over a byte-frame transport: each frame is read in place from the
/// transport's receive buffer by the codec (a frame split across segments stays a multi-segment
/// sequence). Connections may deliver on several threads at once, so each thread has its own sink
/// (codecs keep scratch state).
/// </summary>
internal sealed class FrameSnapshotReceiver : ISnapshotReceiver
{
    private readonly IFrameSubscriber _subscriber;
    private readonly ThreadLocal<SnapshotReceiveSink> _sinks;

    private FrameSnapshotReceiver(IFrameSubscriber subscriber, ThreadLocal<SnapshotReceiveSink> sinks)
    {
        _subscriber = subscriber;
        _sinks = sinks;
    }

    public string Endpoint => EndPoints.Format(_subscriber.EndPoint);

    public long TransportErrors => _subscriber.Statistics.Errors;

    /// <summary>Creates the subscriber through <paramref name="createSubscriber"/> with this receiver's frame handler, and starts it.</summary>
    public static async Task<ISnapshotReceiver> StartAsync(Func<FrameHandler, IFrameSubscriber> createSubscriber, Func<SnapshotReceiveSink> createSink)
    {
        var sinks = new ThreadLocal<SnapshotReceiveSink>(createSink);
        IFrameSubscriber subscriber = createSubscriber((in ReadOnlySequence<byte> payload) => sinks.Value!.OnPayload(payload));
        try
        {
            await subscriber.StartAsync().ConfigureAwait(false);
        }
        catch
        {
            await subscriber.DisposeAsync().ConfigureAwait(false);
            sinks.Dispose();
            throw;
        }
        return new FrameSnapshotReceiver(subscriber, sinks);
    }

    public async ValueTask DisposeAsync()
    {
        await _subscriber.DisposeAsync().ConfigureAwait(false);
        _sinks.Dispose();
    }
}
