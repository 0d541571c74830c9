namespace ShmIpc.NetTransports.Grpc;

/// <summary>
/// Why the subscriber ended a call, and the one status each fault gets (docs/net-transports.md lists them). The
/// status detail is fixed text: what went wrong inside goes to the subscriber's log line, never to the client.
/// </summary>
internal enum GrpcFault
{
    /// <summary>A message announced more than the subscriber's maximum payload length (any length up to 2^32−1).</summary>
    TooLarge,

    /// <summary>The frame handler threw for a message's payload (not a valid encoding, say).</summary>
    Rejected,

    /// <summary>The request stream is not gRPC messages: a truncated message, a compressed flag, a bad prefix.</summary>
    Malformed,

    /// <summary><c>PublishOne</c> carried no message, or more than one.</summary>
    NotOneMessage,

    /// <summary>The client reset the stream or dropped the connection: nobody hears the status.</summary>
    ClientGone,

    /// <summary>Anything else: a fault of the subscriber's own.</summary>
    ServerFault,
}
