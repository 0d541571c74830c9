namespace ShmIpc.NetTransports.Tests.Grpc;

/// <summary>The transport contract for gRPC with one unary call per frame.</summary>
public sealed class GrpcFrameTransportUnaryTests : GrpcTransportContractTests
{
    internal override bool Unary => true;
}
