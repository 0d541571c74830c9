namespace ShmIpc.NetTransports.Tests.Grpc;

/// <summary>The transport contract for gRPC with one unary call per snapshot.</summary>
public sealed class GrpcSnapshotTransportUnaryTests : GrpcTransportContractTests
{
    internal override bool Unary => true;
}
