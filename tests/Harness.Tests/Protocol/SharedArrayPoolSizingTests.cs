using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Tests.Protocol;

public sealed class SharedArrayPoolSizingTests
{
    [Theory]
    [InlineData("grpc", 256, "512")]
    [InlineData("fb", 17, "34")]
    [InlineData("msgpack", 4096, "8192")]
    public void ARunOfManyConnections_GivesEachChildRoomForTwoBuffersAConnection(string transport, int connections, string expected)
    {
        RunSettings settings = TestSettings.For(EnumNames.Parse<TransportKind>(transport), connections: connections);
        Assert.Equal(expected, SharedArrayPoolSizing.ProcessEnvironment(settings)[SharedArrayPoolSizing.Variable]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    public void UpToTheRuntimesOwnRoom_TheDefaultIsKept(int connections)
    {
        RunSettings settings = TestSettings.For(TransportKind.Grpc, connections: connections);
        Assert.Null(SharedArrayPoolSizing.ArraysPerPartition(settings));
        Assert.Empty(SharedArrayPoolSizing.ProcessEnvironment(settings));
    }

    [Fact]
    public void AValueTheUserSet_IsKept()
    {
        // Only this type reads the variable, and a child inherits it from this process.
        string? before = Environment.GetEnvironmentVariable(SharedArrayPoolSizing.Variable);
        Environment.SetEnvironmentVariable(SharedArrayPoolSizing.Variable, "64");
        try
        {
            Assert.Empty(SharedArrayPoolSizing.ProcessEnvironment(TestSettings.For(TransportKind.Grpc, connections: 256)));
        }
        finally
        {
            Environment.SetEnvironmentVariable(SharedArrayPoolSizing.Variable, before);
        }
    }
}
