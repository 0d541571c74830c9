using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.ObjectPool;
using ShmIpc.Codecs.Protobuf;

namespace ShmIpc.NetTransports.Grpc;

/// <summary>
/// The feed's gRPC methods, defined by hand instead of generated from a service in a .proto (the messages are
/// snapshot.proto's): <c>/shmipc.SnapshotFeed/Publish</c>, client streaming, and <c>/shmipc.SnapshotFeed/PublishOne</c>,
/// unary; both answer <see cref="Empty"/>. Hand-made marshallers control (de)serialization: the client writes the
/// message straight into gRPC's buffer; the server parses into a pooled <see cref="ReusableSnapshot"/>.
/// </summary>
internal static class SnapshotFeedMethods
{
    public const string ServiceName = "shmipc.SnapshotFeed";

    private static readonly Marshaller<Empty> EmptyMarshaller = Marshallers.Create(static (Empty _) => [], static _ => new Empty());

    /// <summary>Client side: a <see cref="Snapshot"/> written straight into the call's buffer, no intermediate array.</summary>
    public static readonly Method<Snapshot, Empty> PublishFromClient = new(
        MethodType.ClientStreaming,
        ServiceName,
        "Publish",
        Marshallers.Create<Snapshot>(WriteSnapshot, static _ => throw new NotSupportedException("the publisher never receives snapshots")),
        EmptyMarshaller);

    /// <summary>Client side, unary: the snapshot is encoded before the call starts (see <see cref="SerializedSnapshot"/>).</summary>
    public static readonly Method<SerializedSnapshot, Empty> PublishOneFromClient = new(
        MethodType.Unary,
        ServiceName,
        "PublishOne",
        Marshallers.Create<SerializedSnapshot>(WriteSerialized, static _ => throw new NotSupportedException("the publisher never receives snapshots")),
        EmptyMarshaller);

    /// <summary>Server side: the same two methods, parsing each message into a snapshot taken from <paramref name="pool"/>.</summary>
    public static ServerMethods ForServer(ObjectPool<ReusableSnapshot> pool)
    {
        Marshaller<ReusableSnapshot> marshaller = Marshallers.Create<ReusableSnapshot>(
            static (_, _) => throw new NotSupportedException("the subscriber never sends snapshots"),
            context =>
            {
                ReusableSnapshot snapshot = pool.Get();
                snapshot.PayloadLength = context.PayloadLength;
                try
                {
                    // In place over the request body's buffer, even when it spans several segments.
                    snapshot.MergeFrom(context.PayloadAsReadOnlySequence());
                }
                catch
                {
                    pool.Return(snapshot);
                    throw;
                }

                return snapshot;
            });
        return new ServerMethods(
            new Method<ReusableSnapshot, Empty>(MethodType.ClientStreaming, ServiceName, "Publish", marshaller, EmptyMarshaller),
            new Method<ReusableSnapshot, Empty>(MethodType.Unary, ServiceName, "PublishOne", marshaller, EmptyMarshaller));
    }

    /// <summary>The server's definitions of the two methods.</summary>
    public sealed record ServerMethods(Method<ReusableSnapshot, Empty> Publish, Method<ReusableSnapshot, Empty> PublishOne);

    private static void WriteSnapshot(Snapshot snapshot, SerializationContext context)
    {
        context.SetPayloadLength(snapshot.CalculateSize());
        snapshot.WriteTo(context.GetBufferWriter());
        context.Complete();
    }

    private static void WriteSerialized(SerializedSnapshot snapshot, SerializationContext context)
    {
        context.SetPayloadLength(snapshot.Length);
        System.Buffers.IBufferWriter<byte> writer = context.GetBufferWriter();
        snapshot.Buffer.AsSpan(0, snapshot.Length).CopyTo(writer.GetSpan(snapshot.Length));
        writer.Advance(snapshot.Length);
        context.Complete();
    }
}
