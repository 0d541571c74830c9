using System.Buffers;
using System.IO.Pipelines;

namespace ShmIpc.NetTransports.Tests;

public sealed class FrameReceiveLoopTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    [InlineData(100_000)]
    public async Task RunAsync_DeliversEveryFrameWhateverTheChunking(int chunkSize)
    {
        const int frameCount = 50;
        byte[] stream = [.. Enumerable.Range(0, frameCount).SelectMany(sequence => FrameHeaderTests.Frame(TestFrames.Create(sequence)))];
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        for (int offset = 0; offset < stream.Length; offset += chunkSize)
        {
            await pipe.Writer.WriteAsync(stream.AsMemory(offset, Math.Min(chunkSize, stream.Length - offset)));
        }

        await pipe.Writer.CompleteAsync();
        var receipts = new FrameReceipts(frameCount);
        var counters = new ConnectionCounters();
        await FrameReceiveLoop.RunAsync(pipe.Reader, receipts.Record, TestFrames.MaxPayloadLength, counters, CancellationToken.None);
        receipts.AssertEachReceivedOnceIntact();
        Assert.Equal(frameCount, counters.Frames);
    }

    [Fact]
    public async Task RunAsync_ReportsAStreamEndingMidFrame()
    {
        byte[] frame = FrameHeaderTests.Frame(new byte[100]);
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(frame.AsMemory(0, 60));
        await pipe.Writer.CompleteAsync();
        var exception = await Assert.ThrowsAsync<TransportException>(() =>
            FrameReceiveLoop.RunAsync(pipe.Reader, static (in ReadOnlySequence<byte> _) => { }, 1000, new ConnectionCounters(), CancellationToken.None));
        Assert.Equal("stream ended mid-frame: 60 bytes of an incomplete frame (header announced 100 payload bytes)", exception.Message);
    }

    [Fact]
    public async Task RunAsync_WrapsAHandlerFailureInATransportException()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(FrameHeaderTests.Frame(new byte[10]));
        await pipe.Writer.CompleteAsync();
        var exception = await Assert.ThrowsAsync<TransportException>(() =>
            FrameReceiveLoop.RunAsync(pipe.Reader, static (in ReadOnlySequence<byte> _) => throw new FormatException("bad snapshot"), 1000, new ConnectionCounters(), CancellationToken.None));
        Assert.Contains("FormatException: bad snapshot", exception.Message, StringComparison.Ordinal);
        Assert.IsType<FormatException>(exception.InnerException);
    }
}
