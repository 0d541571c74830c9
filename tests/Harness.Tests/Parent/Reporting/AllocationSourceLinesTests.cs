using ShmIpc.Harness.Parent.Reporting;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Tests.Parent.Reporting;

public sealed class AllocationSourceLinesTests
{
    [Theory]
    [InlineData(
        "AsyncStateMachineBox`1[System.Threading.Tasks.VoidTaskResult,Grpc.Net.Client.Internal.StreamExtensions+<WriteMessageAsync>d__9`1[ShmIpc.Codecs.Protobuf.Snapshot]]",
        "async state of Grpc.Net.Client.Internal.StreamExtensions.WriteMessageAsync")]
    [InlineData(
        "AsyncStateMachineBox`1[System.Threading.Tasks.VoidTaskResult,System.Net.Http.Http2Connection+Http2Stream+<SendDataAsync>d__81]",
        "async state of System.Net.Http.Http2Connection.Http2Stream.SendDataAsync")]
    [InlineData(
        "AsyncStateMachineBox`1[System.Boolean,Grpc.AspNetCore.Server.Internal.HttpContextStreamReader`1+<<MoveNext>g__MoveNextAsync|13_0>d[ShmIpc.NetTransports.Grpc.ReusableSnapshot]]",
        "async state of Grpc.AspNetCore.Server.Internal.HttpContextStreamReader.MoveNext.MoveNextAsync")]
    [InlineData("WriteQueueEntry`1[System.Int32]", "WriteQueueEntry[System.Int32]")]
    [InlineData("System.Byte[]", "System.Byte[]")]
    public void ReadableType_NamesAnAsyncMethodByItsMethod_AndDropsArities(string type, string readable) =>
        Assert.Equal(readable, AllocationSourceLines.ReadableType(type));

    [Fact]
    public void ReadableType_CutsVeryLongNames()
    {
        string readable = AllocationSourceLines.ReadableType("Some.Type[" + new string('x', 300) + "]");
        Assert.Equal(110, readable.Length);
        Assert.EndsWith("…", readable, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_ListsEachSidesTypes_UnderItsTotal()
    {
        var row = new TransportResult
        {
            Transport = "grpc",
            Codec = "protobuf",
            PayloadBytes = 16384,
            Status = TransportResult.StatusOk,
            AllocatedBytesPerMessage = new PerSide<double>(1200, 70),
            AllocationSources = new PerSide<IReadOnlyList<AllocationSource>>(
                [new AllocationSource("System.Threading.Tasks.Task", 130.4), new AllocationSource("System.Byte[]", 20)],
                []),
        };

        string[] lines = [.. AllocationSourceLines.Of(row)];

        Assert.Equal(3, lines.Length);
        Assert.StartsWith("  grpc sender: 1,200 B/msg allocated", lines[0], StringComparison.Ordinal);
        Assert.Equal("         130 B/msg  System.Threading.Tasks.Task", lines[1]);
        Assert.Equal("          20 B/msg  System.Byte[]", lines[2]);
        Assert.Empty(AllocationSourceLines.Of(row with { AllocationSources = null }));
    }
}
