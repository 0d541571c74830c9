using Grpc.Core;

namespace ShmIpc.NetTransports.Grpc;

/// <summary>The status each <see cref="GrpcFault"/> ends its call with.</summary>
internal static class GrpcFaultStatus
{
    public static Status For(GrpcFault fault, int maxPayloadLength) => fault switch
    {
        GrpcFault.TooLarge => new Status(StatusCode.ResourceExhausted, $"message larger than the subscriber's maximum of {maxPayloadLength} bytes"),
        GrpcFault.Rejected => new Status(StatusCode.InvalidArgument, "message rejected by the subscriber (not a valid encoding)"),
        GrpcFault.Malformed => new Status(StatusCode.InvalidArgument, "request stream is not a sequence of uncompressed gRPC messages"),
        GrpcFault.NotOneMessage => new Status(StatusCode.InvalidArgument, "PublishOne takes exactly one message"),
        GrpcFault.ClientGone => new Status(StatusCode.Cancelled, "call ended by the client"),
        _ => new Status(StatusCode.Internal, "subscriber fault"),
    };
}
