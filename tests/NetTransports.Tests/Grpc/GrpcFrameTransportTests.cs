namespace ShmIpc.NetTransports.Tests.Grpc;

/// <summary>The transport contract for gRPC with one client-streaming call per connection (the default).</summary>
public sealed class GrpcFrameTransportTests : GrpcTransportContractTests
{
    internal override bool Unary => false;
}
