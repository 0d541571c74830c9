using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Tests.Protocol;

public sealed class ReceiverThreadingTests
{
    [Theory]
    [InlineData("msgpack")]
    [InlineData("uds")]
    public void AStreamSocketReceiverOnTheAsyncLoop_RunsSocketCompletionsInline(string transport)
    {
        RunSettings settings = TestSettings.For(EnumNames.Parse<TransportKind>(transport), connections: 256);
        Assert.False(ReceiverThreading.UsesDedicatedThreads(settings));
        Assert.Equal("1", ReceiverThreading.ProcessEnvironment(settings)["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"]);
    }

    [Theory]
    [InlineData("msgpack", 1)]
    [InlineData("msgpack", 2)]
    [InlineData("uds", 1)]
    [InlineData("fb", 256)]
    [InlineData("grpc", 256)]
    [InlineData("shm", 256)]
    public void OtherReceivers_KeepTheDefaultEnvironment(string transport, int connections) =>
        Assert.Empty(ReceiverThreading.ProcessEnvironment(TestSettings.For(EnumNames.Parse<TransportKind>(transport), connections: connections)));

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(3, false)]
    public void AThreadPerConnection_UpToTwoConnections(int connections, bool dedicated) =>
        Assert.Equal(dedicated, ReceiverThreading.UsesDedicatedThreads(TestSettings.For(TransportKind.MessagePackTcp, connections: connections)));
}
