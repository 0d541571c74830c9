using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Tests.Protocol;

public sealed class ReceiverThreadingTests
{
    private static RunSettings Settings(string transport, int connections) => new()
    {
        Transport = transport,
        Codec = TransportNames.DefaultCodec(transport),
        PayloadBytes = 16 * 1024,
        Warmup = TimeSpan.FromSeconds(1),
        Duration = TimeSpan.FromSeconds(1),
        Connections = connections,
    };

    [Fact]
    public void ATcpReceiverOnTheAsyncLoop_RunsSocketCompletionsInline()
    {
        IReadOnlyDictionary<string, string> environment = ReceiverThreading.ProcessEnvironment(Settings(TransportNames.MessagePackTcp, 256));
        Assert.Equal("1", environment["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"]);
    }

    [Theory]
    [InlineData(TransportNames.MessagePackTcp, 1)]
    [InlineData(TransportNames.MessagePackTcp, 2)]
    [InlineData(TransportNames.FlatBuffersHttp2, 256)]
    [InlineData(TransportNames.Grpc, 256)]
    [InlineData(TransportNames.SharedMemory, 256)]
    public void OtherReceivers_KeepTheDefaultEnvironment(string transport, int connections) =>
        Assert.Empty(ReceiverThreading.ProcessEnvironment(Settings(transport, connections)));
}
