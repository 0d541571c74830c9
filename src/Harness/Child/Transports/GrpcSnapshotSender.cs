using ShmIpc.Codecs;
using ShmIpc.Codecs.Protobuf;
using ShmIpc.Harness.Protocol;
using ShmIpc.NetTransports;
using ShmIpc.NetTransports.Grpc;

namespace ShmIpc.Harness.Child.Transports;

/// <summary>
/// Sends snapshots as gRPC users do: fill a Protobuf message (reused, so its instrument objects are
/// too) and hand it to the call, which serializes it. The message is refilled only after the
/// previous send completed, as the publisher requires. The transport's failures surface as
/// <see cref="TransportFaultException"/>.
/// </summary>
internal sealed class GrpcSnapshotSender : ISnapshotSender
{
    private readonly GrpcSnapshotPublisher _publisher;
    private readonly Snapshot _message = new();
    private readonly ValueTaskWaiter _waiter = new();

    private GrpcSnapshotSender(GrpcSnapshotPublisher publisher) => _publisher = publisher;

    public static async Task<ISnapshotSender> ConnectAsync(GrpcSnapshotPublisher publisher)
    {
        try
        {
            await publisher.ConnectAsync().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            await publisher.DisposeAsync().ConfigureAwait(false);
            throw exception is TransportException failed ? Fault(failed) : exception;
        }
        return new GrpcSnapshotSender(publisher);
    }

    /// <summary>Every message is its own gRPC write (the Protobuf encode, not the write, limits gRPC here).</summary>
    public void Send(MarketSnapshot snapshot, bool moreDue)
    {
        ProtobufClassesSnapshotCodec.CopyTo(snapshot, _message);
        try
        {
            _waiter.Wait(_publisher.SendAsync(_message));
        }
        catch (TransportException exception)
        {
            throw Fault(exception);
        }
    }

    public void Flush()
    {
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

    private static TransportFaultException Fault(TransportException exception) => new(TransportKind.Grpc, exception.Message, exception);
}
