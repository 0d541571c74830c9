using System.Buffers;

namespace ShmIpc.NetTransports.Tests;

public sealed class FrameHeaderTests
{
    [Fact]
    public void TryReadFrame_ReadsAFrameWhoseHeaderAndPayloadStraddleSegments()
    {
        byte[] frame = Frame(TestFrames.Create(3));
        for (int split = 1; split < frame.Length; split += 997)
        {
            foreach (int headerSplit in new[] { 1, 3, 4, 7 })
            {
                ReadOnlySequence<byte> buffer = SegmentedSequence.Create(frame[..headerSplit], frame[headerSplit..Math.Max(headerSplit, split)], frame[Math.Max(headerSplit, split)..], [1, 2, 3]);
                Assert.True(FrameHeader.TryReadFrame(ref buffer, TestFrames.MaxPayloadLength, out ReadOnlySequence<byte> payload));
                Assert.Equal(TestFrames.ExpectedHash(3), TestFrames.Hash(payload));
                Assert.Equal(3, buffer.Length); // positioned after the frame
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(100)]
    public void TryReadFrame_WaitsForAnIncompleteFrameWithoutConsuming(int available)
    {
        byte[] frame = Frame(new byte[200]);
        var buffer = new ReadOnlySequence<byte>(frame, 0, available);
        Assert.False(FrameHeader.TryReadFrame(ref buffer, 1000, out _));
        Assert.Equal(available, buffer.Length);
    }

    [Fact]
    public void TryReadFrame_RejectsAnOversizeLengthBeforeItsBytesArrive()
    {
        byte[] header = new byte[FrameHeader.Length];
        FrameHeader.Write(header, 1001);
        var buffer = new ReadOnlySequence<byte>(header);
        var exception = Assert.Throws<TransportException>(() => FrameHeader.TryReadFrame(ref buffer, 1000, out _));
        Assert.Contains("1001 bytes exceeds the maximum of 1000", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryReadFrame_RejectsAWrongMarker()
    {
        byte[] frame = Frame(new byte[10]);
        frame[2] ^= 0xFF;
        var buffer = new ReadOnlySequence<byte>(frame);
        var exception = Assert.Throws<TransportException>(() => FrameHeader.TryReadFrame(ref buffer, 1000, out _));
        Assert.Contains("not a frame", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryReadFrame_AcceptsAnEmptyPayload()
    {
        var buffer = new ReadOnlySequence<byte>(Frame([]));
        Assert.True(FrameHeader.TryReadFrame(ref buffer, 1000, out ReadOnlySequence<byte> payload));
        Assert.True(payload.IsEmpty);
        Assert.True(buffer.IsEmpty);
    }

    internal static byte[] Frame(byte[] payload)
    {
        byte[] frame = new byte[FrameHeader.Length + payload.Length];
        FrameHeader.Write(frame, payload.Length);
        payload.CopyTo(frame, FrameHeader.Length);
        return frame;
    }
}
