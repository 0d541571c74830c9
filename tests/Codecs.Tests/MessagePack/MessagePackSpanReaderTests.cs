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
    public void ReadInt64_DecodesEveryIntegerFormat_NearTheEndAndWithRoomAfter(byte[] encoded, long expected)
    {
        // Alone (the near-end path) and followed by padding (the one-wide-load path): same value, same length consumed.
        foreach (byte[] buffer in new[] { encoded, [.. encoded, .. new byte[16]] })
        {
            var reader = new MessagePackSpanReader(buffer);
            Assert.Equal(expected, reader.ReadInt64());
            Assert.Equal(encoded.Length, reader.Position);
        }
        Assert.Equal(expected, new MessagePackReader(encoded).ReadInt64());
    }

    [Theory]
    [InlineData(new byte[] { 0xCF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, "does not fit")]
    [InlineData(new byte[] { 0xCE, 0xFF, 0xFF }, "truncated")]
    [InlineData(new byte[] { 0xC0 }, "expected an integer")]
    [InlineData(new byte[] { }, "truncated")]
    public void ReadInt64_RejectsBadInput(byte[] encoded, string expectedWords)
    {
        SnapshotFormatException error = Assert.Throws<SnapshotFormatException>(() => new MessagePackSpanReader(encoded).ReadInt64());
        Assert.Contains(expectedWords, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadInt32_RejectsValuesBeyond32Bits()
    {
        byte[] encoded = [0xCE, 0xFF, 0xFF, 0xFF, 0xFF];
        SnapshotFormatException error = Assert.Throws<SnapshotFormatException>(() => new MessagePackSpanReader(encoded).ReadInt32());
        Assert.Contains("32 bits", error.Message, StringComparison.Ordinal);
    }
}
