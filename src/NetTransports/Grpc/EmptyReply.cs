namespace ShmIpc.NetTransports.Grpc;

/// <summary>
/// The feed methods' reply: an empty message (zero bytes on the wire, as <c>google.protobuf.Empty</c> is in
/// snapshot_feed.proto). One instance; nothing is parsed or allocated for it.
/// </summary>
internal sealed class EmptyReply
{
    public static readonly EmptyReply Instance = new();

    private EmptyReply()
    {
    }
}
