using Google.Protobuf;
using ShmIpc.Codecs;
using ShmIpc.Codecs.Protobuf;
using ShmIpc.Harness.Protocol;
using ShmIpc.NetTransports;
using ShmIpc.NetTransports.Grpc;

namespace ShmIpc.Harness.Child.Transports;

/// <summary>
/// Sends snapshots as gRPC messages of snapshot.proto's <c>Snapshot</c>, each written straight into the call's buffer
/// after its exact length: by the in-place Protobuf codec (<c>protobuf</c>, the default), or as gRPC users do with
/// Google.Protobuf's generated classes (<c>protobuf-classes</c>: fill a reused message, measure it, write it). Every
/// message is its own gRPC write; while more are due (behind, or flat out) the publisher may hold it to go out with
/// the next in one HTTP/2 write, as the fb sender's frames are held. The transport's failures surface as
/// <see cref="TransportFaultException"/>.
/// </summary>
internal sealed class GrpcSnapshotSender : ISnapshotSender
{
    private static readonly FrameEncoder<MarketSnapshot> EncodeInPlace =
        static (destination, snapshot) => ProtobufSnapshotCodec.EncodeKnownLength(snapshot, destination);

    private static readonly FrameEncoder<Snapshot> EncodeMessage = static (destination, message) =>
    {
        message.WriteTo(destination); // exactly the span CalculateSize measured
        return destination.Length;
    };

    private readonly TransportKind _transport;
    private readonly GrpcFramePublisher _publisher;
    private readonly Snapshot? _message; // protobuf-classes only: reused, so are its instrument objects
    private readonly ValueTaskWaiter _waiter = new();

    private GrpcSnapshotSender(TransportKind transport, GrpcFramePublisher publisher, bool generatedClasses)
    {
        _transport = transport;
        _publisher = publisher;
        _message = generatedClasses ? new Snapshot() : null;
    }

    public static async Task<ISnapshotSender> ConnectAsync(TransportKind transport, GrpcFramePublisher publisher, string codec)
    {
        // RunSettings.CodecOf gives grpc one of the two Protobuf codecs: the generated classes, or in place.
        bool generatedClasses = codec == ProtobufClassesSnapshotCodec.CodecName;
        try
        {
            await publisher.ConnectAsync().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            await publisher.DisposeAsync().ConfigureAwait(false);
            throw exception is TransportException failed ? new TransportFaultException(transport, failed.Message, failed) : exception;
        }
        return new GrpcSnapshotSender(transport, publisher, generatedClasses);
    }

    public void Send(MarketSnapshot snapshot, bool moreDue)
    {
        try
        {
            if (_message is null)
            {
                int length = ProtobufSnapshotCodec.GetEncodedLength(snapshot);
                _waiter.Wait(moreDue ? _publisher.WriteAsync(length, EncodeInPlace, snapshot) : _publisher.SendAsync(length, EncodeInPlace, snapshot));
            }
            else
            {
                ProtobufClassesSnapshotCodec.CopyTo(snapshot, _message);
                int length = _message.CalculateSize();
                _waiter.Wait(moreDue ? _publisher.WriteAsync(length, EncodeMessage, _message) : _publisher.SendAsync(length, EncodeMessage, _message));
            }
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
