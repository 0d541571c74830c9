using Google.Protobuf;
using ShmIpc.Codecs;
using ShmIpc.Codecs.Protobuf;
using ShmIpc.Harness.Protocol;
using ShmIpc.NetTransports;
using ShmIpc.NetTransports.Grpc;

namespace ShmIpc.Harness.Child.Transports;

/// <summary>
/// Receives snapshots over gRPC: the library parses each message (in place, into a pooled message),
/// the Protobuf codec reads every field of it, then the sink records it. The message's encoded size
/// (for MB/s) is known without re-measuring it: the pool snapshot's size plus the sequence number's varint.
/// A listener that cannot start is a <see cref="TransportFaultException"/>.
/// </summary>
internal sealed class GrpcSnapshotReceiver : ISnapshotReceiver
{
    private readonly GrpcSnapshotSubscriber _subscriber;

    private GrpcSnapshotReceiver(GrpcSnapshotSubscriber subscriber) => _subscriber = subscriber;

    public string Endpoint => EndPoints.Format(_subscriber.EndPoint);

    public long TransportErrors => _subscriber.Statistics.Errors;

    /// <summary>Never: a bad call is ended and the others are still served.</summary>
    public bool Failed => false;

    public static async Task<ISnapshotReceiver> StartAsync(
        Func<Action<Snapshot>, GrpcSnapshotSubscriber> createSubscriber, SnapshotPool pool, Func<SnapshotReceiveSink> createSink)
    {
        int[] sizesWithoutSequence = EncodedSizesWithoutSequence(pool);
        var sinks = new SnapshotReceiveSinkPool(createSink, SnapshotReceiveSinkPool.DefaultCapacity);
        GrpcSnapshotSubscriber subscriber = createSubscriber(message =>
        {
            SnapshotReceiveSink sink = sinks.Rent();
            try
            {
                Receive(message, sink, sizesWithoutSequence);
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
            throw exception is TransportException failed ? new TransportFaultException(TransportKind.Grpc, failed.Message, failed) : exception;
        }
        return new GrpcSnapshotReceiver(subscriber);
    }

    public ValueTask DisposeAsync() => _subscriber.DisposeAsync();

    private static void Receive(Snapshot message, SnapshotReceiveSink sink, int[] sizesWithoutSequence)
    {
        SnapshotDigest digest;
        try
        {
            digest = ProtobufClassesSnapshotCodec.ReadEveryField(message);
        }
        catch (SnapshotFormatException)
        {
            sink.CountContentError();
            return;
        }
        long sequence = digest.Sequence;
        int size = sizesWithoutSequence[(int)((ulong)sequence % (ulong)sizesWithoutSequence.Length)]
            + (sequence == 0 ? 0 : 1 + CodedOutputStream.ComputeInt64Size(sequence));
        sink.Complete(digest, size);
    }

    /// <summary>Encoded size of each pool snapshot with sequence 0 (a proto3 default, so absent on the wire).</summary>
    private static int[] EncodedSizesWithoutSequence(SnapshotPool pool)
    {
        var sizes = new int[pool.Count];
        var message = new Snapshot();
        for (int index = 0; index < sizes.Length; index++)
        {
            MarketSnapshot snapshot = pool.For(index).Clone();
            snapshot.Sequence = 0;
            snapshot.SendTimestampNs = 1; // sfixed64: any non-zero stamp has the same size
            ProtobufClassesSnapshotCodec.CopyTo(snapshot, message);
            sizes[index] = message.CalculateSize();
        }
        return sizes;
    }
}
