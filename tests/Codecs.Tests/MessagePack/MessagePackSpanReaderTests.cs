using MessagePack;
using ShmIpc.Codecs.MessagePack;

namespace ShmIpc.Codecs.Tests.MessagePack;

public sealed class MessagePackSpanReaderTests
{
    public static TheoryData<byte[], long> EveryIntegerFormat => new()
    {
        { [0x05], 5 },
        { [0x7F], 127 },
        { [0xFD], -3 },
        { [0xE0], -32 },
        { [0xCC, 0x05], 5 },
        { [0xCC, 0x00], 0 }, // zero in an unsigned format: not mistaken for a uint 64 above long.MaxValue
        { [0xCC, 0xFF], 255 },
        { [0xCD, 0x01, 0x02], 0x0102 },
        { [0xCE, 0xFF, 0xFF, 0xFF, 0xFF], uint.MaxValue },
        { [0xCF, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], long.MaxValue },
        { [0xD0, 0xFD], -3 },
        { [0xD0, 0x05], 5 },
        { [0xD1, 0xFF, 0xFD], -3 },
        { [0xD2, 0x80, 0x00, 0x00, 0x00], int.MinValue },
        { [0xD3, 0x80, 0, 0, 0, 0, 0, 0, 0], long.MinValue },
        { [0xD3, 0, 0, 0, 0, 0, 0, 0, 0x05], 5 },
    };

    [Theory]
    [MemberData(nameof(EveryIntegerFormat))]
    public void TryReadInt64_DecodesEveryIntegerFormat_NearTheEndAndWithRoomAfter(byte[] encoded, long expected)
    {
        // Alone (the near-end path) and followed by padding (the one-wide-load path): same value, same length consumed.
        foreach (byte[] buffer in new[] { encoded, [.. encoded, .. new byte[16]] })
        {
            var reader = new MessagePackSpanReader(buffer);
            Assert.True(reader.TryReadInt64(out long value));
            Assert.Equal(expected, value);
            Assert.Equal(encoded.Length, reader.Position);
        }
        Assert.Equal(expected, new MessagePackReader(encoded).ReadInt64());
    }

    [Theory]
    [InlineData(new byte[] { 0xCF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, "value 18446744073709551615 does not fit in 64 signed bits")]
    [InlineData(new byte[] { 0xCE, 0xFF, 0xFF }, "truncated: 5 bytes needed at byte 0, 3 left")]
    [InlineData(new byte[] { 0xC0 }, "expected an integer, found type code 0xC0 at byte 0")]
    [InlineData(new byte[] { }, "truncated: 1 bytes needed at byte 0, 0 left")]
    public void TryReadInt64_RejectsBadInput_ConsumesNothing_AndSaysWhy(byte[] encoded, string expected)
    {
        // With and without room after the value: the one-wide-load path and the near-end path fail alike.
        foreach (byte[] buffer in new[] { encoded, encoded.Length >= 9 ? [.. encoded, .. new byte[16]] : encoded })
        {
            var reader = new MessagePackSpanReader(buffer);
            Assert.False(reader.TryReadInt64(out _));
            Assert.Equal(0, reader.Position);
            Assert.Equal(expected, reader.DescribeIntegerProblem(64));
        }
    }

    [Fact]
    public void TryReadInt32_RejectsValuesBeyond32Bits_AndConsumesNothing()
    {
        byte[] encoded = [0xCE, 0xFF, 0xFF, 0xFF, 0xFF];
        var reader = new MessagePackSpanReader(encoded);
        Assert.False(reader.TryReadInt32(out _));
        Assert.Equal(0, reader.Position);
        Assert.Equal("value 4294967295 at byte 0 does not fit in 32 bits", reader.DescribeIntegerProblem(32));
        Assert.True(reader.TryReadInt64(out long wide));
        Assert.Equal(uint.MaxValue, wide);
    }

    [Theory]
    [InlineData(new byte[] { 0x93 }, 3)]
    [InlineData(new byte[] { 0xDC, 0x01, 0x00 }, 256)]
    [InlineData(new byte[] { 0xDD, 0x00, 0x01, 0x00, 0x00 }, 65_536)]
    public void TryReadArrayHeader_ReadsEveryHeaderFormat(byte[] encoded, int expected)
    {
        var reader = new MessagePackSpanReader(encoded);
        Assert.True(reader.TryReadArrayHeader(out int count));
        Assert.Equal(expected, count);
        Assert.Equal(encoded.Length, reader.Position);
    }

    [Theory]
    [InlineData(new byte[] { 0x05 }, "expected an array header, found type code 0x05 at byte 0")]
    [InlineData(new byte[] { 0xDC, 0x01 }, "truncated: 3 bytes needed at byte 0, 2 left")]
    [InlineData(new byte[] { 0xDD, 0x80, 0x00, 0x00, 0x00 }, "array length 2147483648 is out of range")]
    [InlineData(new byte[] { }, "truncated: 1 bytes needed at byte 0, 0 left")]
    public void TryReadArrayHeader_RejectsBadInput_ConsumesNothing_AndSaysWhy(byte[] encoded, string expected)
    {
        var reader = new MessagePackSpanReader(encoded);
        Assert.False(reader.TryReadArrayHeader(out _));
        Assert.Equal(0, reader.Position);
        Assert.Equal(expected, reader.DescribeArrayHeaderProblem());
    }
}
