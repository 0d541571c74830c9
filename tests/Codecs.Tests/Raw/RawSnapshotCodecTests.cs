using System.Buffers;
using System.Buffers.Binary;
using ShmIpc.Codecs.Raw;

namespace ShmIpc.Codecs.Tests.Raw;

public sealed class RawSnapshotCodecTests
{
    private readonly RawSnapshotCodec _codec = new();

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(128)]
    public void Encode_ThenDecode_GivesTheSnapshot(int instrumentCount)
    {
        MarketSnapshot snapshot = new SnapshotGenerator().Generate(instrumentCount);
        byte[] buffer = new byte[_codec.GetMaxEncodedLength(instrumentCount)];
        int written = _codec.Encode(snapshot, buffer);

        Assert.Equal(RawSnapshotLayout.HeaderLength + (112 * instrumentCount), written);
        Assert.Equal(SnapshotDigest.Of(snapshot), _codec.ReadEveryField(buffer.AsSpan(0, written)));
        var decoded = new MarketSnapshot(0);
        _codec.Decode(buffer.AsSpan(0, written), decoded);
        Assert.True(snapshot.ContentEquals(decoded));
    }

    [Fact]
    public void Snapshot128_IsAbout14KiB()
    {
        Assert.Equal(14_368, _codec.GetMaxEncodedLength(128));
    }

    [Fact]
    public void Header_IsWhereTheLayoutSays()
    {
        MarketSnapshot snapshot = new SnapshotGenerator().Generate(3);
        byte[] buffer = new byte[_codec.GetMaxEncodedLength(3)];
        _codec.Encode(snapshot, buffer);
        Assert.Equal("SNAP", System.Text.Encoding.ASCII.GetString(buffer, 0, 4));
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(RawSnapshotLayout.VersionOffset)));
        Assert.Equal(3, BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(RawSnapshotLayout.InstrumentCountOffset)));
        Assert.Equal(snapshot.Sequence, BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(RawSnapshotLayout.SequenceOffset)));
        Assert.Equal(snapshot.SendTimestampNs, BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(RawSnapshotLayout.SendTimestampNsOffset)));
        int secondInstrument = RawSnapshotLayout.HeaderLength + InstrumentSnapshotLayout.Size;
        Assert.Equal(snapshot.Instruments[1].Turnover, BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(secondInstrument + InstrumentSnapshotLayout.TurnoverOffset)));
        Assert.Equal(snapshot.Instruments[1].Asks[2].Quantity, BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(secondInstrument + InstrumentSnapshotLayout.AsksOffset + 16 + 4)));
    }

    [Fact]
    public void Encode_IntoTooSmallSpan_Throws()
    {
        MarketSnapshot snapshot = new SnapshotGenerator().Generate(8);
        byte[] buffer = new byte[_codec.GetMaxEncodedLength(8) - 1];
        Assert.Throws<ArgumentException>(() => _codec.Encode(snapshot, buffer));
    }

    [Fact]
    public void Encode_IntoBufferWriter_WritesTheSameBytes()
    {
        MarketSnapshot snapshot = new SnapshotGenerator().Generate(8);
        byte[] direct = new byte[_codec.GetMaxEncodedLength(8)];
        int written = _codec.Encode(snapshot, direct);
        var writer = new ArrayBufferWriter<byte>();
        _codec.Encode(snapshot, writer);
        Assert.Equal(direct.AsSpan(0, written).ToArray(), writer.WrittenSpan.ToArray());
    }

    [Theory]
    [InlineData(RawSnapshotLayout.MagicOffset, "magic")]
    [InlineData(RawSnapshotLayout.VersionOffset, "version")]
    [InlineData(RawSnapshotLayout.HeaderLengthOffset, "header length")]
    [InlineData(RawSnapshotLayout.InstrumentLengthOffset, "instrument length")]
    [InlineData(RawSnapshotLayout.InstrumentCountOffset, "instrument")]
    public void CorruptHeader_IsRejectedWithAClearMessage(int offset, string expectedWords)
    {
        byte[] buffer = EncodeSample(4);
        buffer[offset] ^= 0x40;
        SnapshotFormatException error = Assert.Throws<SnapshotFormatException>(() => _codec.ReadEveryField(buffer));
        Assert.StartsWith("raw snapshot:", error.Message, StringComparison.Ordinal);
        Assert.Contains(expectedWords, error.Message, StringComparison.Ordinal);
        Assert.Equal("raw", error.CodecName);
    }

    [Theory]
    [InlineData(int.MinValue)]
    [InlineData(-1)]
    [InlineData(5)]
    [InlineData(MarketSnapshot.MaxInstrumentCount + 1)]
    [InlineData(int.MaxValue)]
    public void CountThatDoesNotMatchTheLength_IsRejected(int count)
    {
        byte[] buffer = EncodeSample(4);
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(RawSnapshotLayout.InstrumentCountOffset), count);
        Assert.Throws<SnapshotFormatException>(() => _codec.ReadEveryField(buffer));
    }

    [Fact]
    public void TruncatedOrPaddedBuffers_AreRejected()
    {
        byte[] buffer = EncodeSample(4);
        for (int length = 0; length < buffer.Length; length++)
        {
            Assert.Throws<SnapshotFormatException>(() => _codec.ReadEveryField(buffer.AsSpan(0, length)));
        }

        byte[] padded = new byte[buffer.Length + 1];
        buffer.CopyTo(padded, 0);
        Assert.Throws<SnapshotFormatException>(() => _codec.ReadEveryField(padded));
    }

    [Fact]
    public void ReadEveryField_DoesNotAllocate()
    {
        byte[] buffer = EncodeSample(128);
        MarketSnapshot snapshot = new SnapshotGenerator().Generate(128);
        _codec.ReadEveryField(buffer);
        _codec.Encode(snapshot, buffer);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            _codec.Encode(snapshot, buffer);
            _codec.ReadEveryField(buffer);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private byte[] EncodeSample(int instrumentCount)
    {
        MarketSnapshot snapshot = new SnapshotGenerator().Generate(instrumentCount);
        byte[] buffer = new byte[_codec.GetMaxEncodedLength(instrumentCount)];
        Assert.Equal(buffer.Length, _codec.Encode(snapshot, buffer));
        return buffer;
    }
}
