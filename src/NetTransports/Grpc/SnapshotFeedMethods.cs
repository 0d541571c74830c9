using System.Buffers;
using Grpc.Core;
using Microsoft.Extensions.ObjectPool;

namespace ShmIpc.NetTransports.Grpc;

/// <summary>
/// The feed's gRPC methods as snapshot_feed.proto declares them: <c>/shmipc.SnapshotFeed/Publish</c>, client streaming,
/// and <c>/shmipc.SnapshotFeed/PublishOne</c>, unary; each request message is one frame's payload (an encoded
/// snapshot), each reply empty. Hand-made marshallers move the payload bytes without a message object: the client's
/// encoder writes into gRPC's buffer; the server hands the handler the payload in place.
/// </summary>
internal static class SnapshotFeedMethods
{
    public const string ServiceName = "shmipc.SnapshotFeed";

    public const string PublishName = "Publish";

    public const string PublishOneName = "PublishOne";

    private static readonly Marshaller<EmptyReply> EmptyReplyMarshaller = Marshallers.Create(static (EmptyReply _) => [], static _ => EmptyReply.Instance);

    private static readonly Marshaller<OutgoingFrame> OutgoingFrameMarshaller = Marshallers.Create<OutgoingFrame>(
        OutgoingFrame.Serialize, static _ => throw new NotSupportedException("the publisher never receives frames"));

    /// <summary>Client side, streaming: each frame encoded straight into the call's buffer.</summary>
    public static readonly Method<OutgoingFrame, EmptyReply> PublishFromClient =
        new(MethodType.ClientStreaming, ServiceName, PublishName, OutgoingFrameMarshaller, EmptyReplyMarshaller);

    /// <summary>Client side, unary: the frame encoded before the call starts (<see cref="EncodedFrame"/>).</summary>
    public static readonly Method<OutgoingFrame, EmptyReply> PublishOneFromClient =
        new(MethodType.Unary, ServiceName, PublishOneName, OutgoingFrameMarshaller, EmptyReplyMarshaller);

    /// <summary>
    /// Server side: both methods read as client-streaming calls (a unary request is a request stream of one message
    /// on the wire), so the service, not the framework, reads every message and answers every fault with its own
    /// status and log line. Each message's payload goes to <paramref name="handler"/> in place, from the request
    /// body's buffer (a multi-segment sequence when it spans blocks), during deserialization.
    /// </summary>
    public static ServerMethods ForServer(FrameHandler handler, ObjectPool<ReceivedFrame> pool)
    {
        Marshaller<ReceivedFrame> marshaller = Marshallers.Create<ReceivedFrame>(
            static (_, _) => throw new NotSupportedException("the subscriber never sends frames"),
            context =>
            {
                ReadOnlySequence<byte> payload = context.PayloadAsReadOnlySequence();
                Exception? failure = null;
                try
                {
                    handler(in payload);
                }
                catch (Exception exception)
                {
                    failure = exception;
                }

                ReceivedFrame received = pool.Get();
                received.Set(context.PayloadLength, failure);
                return received;
            });
        return new ServerMethods(
            new Method<ReceivedFrame, EmptyReply>(MethodType.ClientStreaming, ServiceName, PublishName, marshaller, EmptyReplyMarshaller),
            new Method<ReceivedFrame, EmptyReply>(MethodType.ClientStreaming, ServiceName, PublishOneName, marshaller, EmptyReplyMarshaller));
    }

    /// <summary>The server's definitions of the two methods.</summary>
    public sealed record ServerMethods(Method<ReceivedFrame, EmptyReply> Publish, Method<ReceivedFrame, EmptyReply> PublishOne);
}
