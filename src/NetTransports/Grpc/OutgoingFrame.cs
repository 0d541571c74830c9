using Grpc.Core;

namespace ShmIpc.NetTransports.Grpc;

/// <summary>
/// One gRPC request message as the publisher's marshaller writes it: the payload goes straight into the call's buffer
/// after gRPC's 5-byte message prefix, whose length the payload's exact size fills in first (a length not known up
/// front would make gRPC encode into a scratch buffer and copy it).
/// </summary>
internal abstract class OutgoingFrame
{
    public abstract void WriteTo(SerializationContext context);

    /// <summary>The marshaller's serializer: every request message of the feed's methods is an <see cref="OutgoingFrame"/>.</summary>
    public static void Serialize(OutgoingFrame frame, SerializationContext context) => frame.WriteTo(context);
}
