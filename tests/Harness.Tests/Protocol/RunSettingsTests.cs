using System.Text.Json;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Tests.Protocol;

public sealed class RunSettingsTests
{
    [Fact]
    public void For_GivesShmTheChosenCodec_AndEachNetworkTransportItsOwn()
    {
        RunOptions options = TestSettings.Options() with { Codec = "msgpack" };
        Assert.Equal("msgpack", RunSettings.For(TransportKind.SharedMemory, 1024, options).Codec);
        Assert.Equal("protobuf", RunSettings.For(TransportKind.Grpc, 1024, options).Codec);
        Assert.Equal("fb", RunSettings.For(TransportKind.FlatBuffersHttp2, 1024, options).Codec);
        Assert.Equal("msgpack", RunSettings.For(TransportKind.MessagePackTcp, 1024, options).Codec);
        Assert.Equal("msgpack", RunSettings.For(TransportKind.MessagePackUnixSocket, 1024, options).Codec);
    }

    [Fact]
    public void For_GivesGrpcProtobufInPlace_UnlessTheGeneratedClassesAreChosen()
    {
        Assert.Equal("protobuf", RunSettings.For(TransportKind.Grpc, 1024, TestSettings.Options() with { Codec = null }).Codec);
        Assert.Equal("raw", RunSettings.For(TransportKind.SharedMemory, 1024, TestSettings.Options() with { Codec = null }).Codec);
        RunOptions classes = TestSettings.Options() with { Codec = "protobuf-classes" };
        Assert.Equal("protobuf-classes", RunSettings.For(TransportKind.Grpc, 1024, classes).Codec);
        Assert.Equal("protobuf-classes", RunSettings.For(TransportKind.SharedMemory, 1024, classes).Codec);
        Assert.Equal("fb", RunSettings.For(TransportKind.FlatBuffersHttp2, 1024, classes).Codec);
    }

    [Fact]
    public void For_CarriesEveryOption()
    {
        var options = new RunOptions(2000, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(4), 8, 0, "raw", ShmWaitStrategy.Block, (1, 0), SampleAllocationSources: true, ShmPretouch: false);
        RunSettings settings = RunSettings.For(TransportKind.SharedMemory, 4096, options);
        Assert.Equal(
            (TransportKind.SharedMemory, 4096, 32, (double?)2000, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(4), 8, 0, ShmWaitStrategy.Block, false, (int?)1, (int?)0, true),
            (settings.Transport, settings.PayloadBytes, settings.InstrumentCount, settings.MessagesPerSecond, settings.Warmup, settings.Duration,
                settings.Connections, settings.BatchBytes, settings.ShmWait, settings.ShmPretouch, settings.SenderCpu, settings.ReceiverCpu, settings.SampleAllocationSources));
    }

    [Fact]
    public void TheChildReadsTheSettingsItWasStartedWith()
    {
        RunSettings settings = TestSettings.For(TransportKind.SharedMemory, shmWait: ShmWaitStrategy.Yield) with { SegmentName = "segment", MessagesPerSecond = null };
        IReadOnlyList<string> arguments = ChildArguments.ForSender(settings, "segment");

        Assert.Equal(["child", "sender", "--settings"], arguments.Take(3));
        Assert.Equal(["--endpoint", "segment"], arguments.Skip(4));
        // By name, as users type them (tests find a run's children by "transport":"shm" in their command lines).
        Assert.Contains("\"transport\":\"shm\"", arguments[3], StringComparison.Ordinal);
        Assert.Contains("\"shmWait\":\"yield\"", arguments[3], StringComparison.Ordinal);
        Assert.Equal(settings, ChildArguments.ReadSettings(arguments[3]));
    }

    [Theory]
    [InlineData("\"fast\"")]
    [InlineData("\"\"")]
    [InlineData("2")]
    public void AnUnknownShmWait_IsRejected_NeverTakenForBusySpin(string value)
    {
        RunSettings settings = TestSettings.For(TransportKind.SharedMemory) with { SegmentName = "segment" };
        string json = ChildArguments.ForReceiver(settings)[3].Replace("\"shmWait\":\"spin\"", $"\"shmWait\":{value}", StringComparison.Ordinal);
        Assert.Contains($"\"shmWait\":{value}", json, StringComparison.Ordinal);

        Assert.Throws<JsonException>(() => ChildArguments.ReadSettings(json));
    }
}
