using ShmIpc.Codecs;
using ShmIpc.Codecs.Protobuf;
using ShmIpc.NetTransports.Grpc;

namespace ShmIpc.Harness.Child.Transports;

/// <summary>
/// Sends snapshots as gRPC users do: fill a Protobuf message (reused, so its instrument objects are
/// too) and hand it to the call, which serializes it. The message is refilled only after the
/// previous send completed, as the publisher requires.
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
        catch
        {
            await publisher.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return new GrpcSnapshotSender(publisher);
    }

    /// <summary>Every message is its own gRPC write (the Protobuf encode, not the write, limits gRPC here).</summary>
    public void Send(MarketSnapshot snapshot, bool moreDue)
    {
        ProtobufSnapshotCodec.CopyTo(snapshot, _message);
        _waiter.Wait(_publisher.SendAsync(_message));
    }

    public void Flush()
    {
    }

    public ValueTask DisposeAsync()
    {
        _waiter.Dispose();
        return _publisher.DisposeAsync();
    }
}
