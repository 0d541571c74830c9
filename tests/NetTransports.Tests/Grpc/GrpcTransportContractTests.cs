using System.Net;
using ShmIpc.NetTransports.Grpc;

namespace ShmIpc.NetTransports.Tests.Grpc;

/// <summary>
/// The transport contract for gRPC (frames as the request messages of snapshot_feed.proto's methods), over a streaming
/// call or a call per message (derived classes): bad input is written by hand into a client-streaming call, as gRPC
/// length-prefixed messages.
/// </summary>
public abstract class GrpcTransportContractTests : TransportContractTests
{
    /// <summary>One unary call per frame instead of one client-streaming call per connection.</summary>
    internal abstract bool Unary { get; }

    internal sealed override int MaxPayloadLength => TestFrames.MaxPayloadLength;

    internal sealed override string TransportThreadNamePrefix => "Kestrel Timer";

    // Kestrel's heartbeat thread, one per server.
    internal sealed override int TransportThreadsWhileRunning(int connections) => 1;

    internal sealed override IContractSubscriber CreateContractSubscriber(MessageHandler onMessage, SubscriberOptions options) =>
        new FrameContractSubscriber(new GrpcFrameSubscriber((in System.Buffers.ReadOnlySequence<byte> payload) => onMessage(TestFrames.SequenceOf(payload), TestFrames.IsIntact(payload)), options));

    internal sealed override IContractPublisher CreateContractPublisher(EndPoint endPoint, PublisherOptions options)
    {
        options.RequestPerMessage = Unary;
        return new GrpcContractPublisher((IPEndPoint)endPoint, options);
    }

    internal sealed override Task<IRawFrameStream> OpenRawStreamAsync(EndPoint endPoint) => RawGrpcCallStream.OpenAsync((IPEndPoint)endPoint);

    internal sealed override long PayloadLengthOf(long sequence) => TestFrames.LengthOf(sequence);

    internal sealed override byte[] RawMessage(long sequence) => RawGrpcCallStream.Message(TestFrames.Create(sequence));

    internal sealed override byte[] RawOversizeMessage => RawGrpcCallStream.Message([], announcedLength: TestFrames.MaxPayloadLength + 1);

    // Not a gRPC message: the compressed flag set on a call that named no grpc-encoding.
    internal sealed override byte[] RawGarbage => [0x01, 0x00, 0x00, 0x00, 0x04, 0xDE, 0xAD, 0xBE, 0xEF];

    internal sealed override byte[] RawHalfMessage => RawMessage(5)[..200];

    internal sealed override string OversizeLogFragment => "TooLarge";

    internal sealed override string GarbageLogFragment => "Malformed";

    internal sealed override string TruncatedLogFragment => "closed after 1 message(s): Malformed";

    internal sealed override string DisconnectMidMessageLogFragment => "closed after 1 message(s): ClientGone";
}
