using System.Net;
using Google.Protobuf;

namespace ShmIpc.NetTransports.Tests.Grpc;

/// <summary>
/// The transport contract for gRPC + Protobuf, over a streaming call or a call per message (derived classes): bad
/// input is written by hand into a client-streaming call, as gRPC length-prefixed messages.
/// </summary>
public abstract class GrpcTransportContractTests : TransportContractTests
{
    /// <summary>One unary call per snapshot instead of one client-streaming call per connection.</summary>
    internal abstract bool Unary { get; }

    // Room for the largest test snapshot (128 instruments); the oversize case announces more.
    internal sealed override int MaxPayloadLength => 64 * 1024;

    internal sealed override string TransportThreadNamePrefix => "Kestrel Timer";

    // Kestrel's heartbeat thread, one per server.
    internal sealed override int TransportThreadsWhileRunning(int connections) => 1;

    internal sealed override IContractSubscriber CreateContractSubscriber(MessageHandler onMessage, SubscriberOptions options) =>
        new GrpcContractSubscriber(onMessage, options);

    internal sealed override IContractPublisher CreateContractPublisher(EndPoint endPoint, PublisherOptions options)
    {
        options.RequestPerMessage = Unary;
        return new GrpcContractPublisher((IPEndPoint)endPoint, options);
    }

    internal sealed override Task<IRawFrameStream> OpenRawStreamAsync(EndPoint endPoint) => RawGrpcCallStream.OpenAsync((IPEndPoint)endPoint);

    internal sealed override long PayloadLengthOf(long sequence) => TestSnapshots.Create(sequence).CalculateSize();

    internal sealed override byte[] RawMessage(long sequence) => RawGrpcCallStream.Message(TestSnapshots.Create(sequence).ToByteArray());

    internal sealed override byte[] RawOversizeMessage => RawGrpcCallStream.Message([], announcedLength: 100_000);

    // Field 3 (instruments) announcing 200 bytes of a nested message where only 4 follow.
    internal sealed override byte[] RawGarbage => RawGrpcCallStream.Message([0x1A, 0xC8, 0x01, 0x08, 0x01, 0x10, 0x02]);

    internal sealed override byte[] RawHalfMessage => RawMessage(5)[..200];

    internal sealed override string OversizeLogFragment => "ResourceExhausted";

    internal sealed override string GarbageLogFragment => "closed: ";

    internal sealed override string TruncatedLogFragment => "closed: ";

    internal sealed override string DisconnectMidMessageLogFragment => "closed: ";
}
