using System.Buffers.Binary;
using Google.FlatBuffers;
using ShmIpc.Codecs.FlatBuffers;
using Generated = ShmIpc.Codecs.FlatBuffers.Generated;

namespace ShmIpc.Codecs.Tests.FlatBuffers;

public sealed class FlatBuffersSnapshotCodecTests
{
    private readonly FlatBuffersSnapshotCodec _codec = new();

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(128)]
    public void Encode_ThenRead_GivesTheSnapshot(int instrumentCount)
    {
        MarketSnapshot snapshot = new SnapshotGenerator().Generate(instrumentCount);
        byte[] buffer = new byte[_codec.GetMaxEncodedLength(instrumentCount)];
        int written = _codec.Encode(snapshot, buffer);
        Assert.Equal(48 + (112 * instrumentCount), written);
        Assert.Equal(SnapshotDigest.Of(snapshot), _codec.ReadEveryField(buffer.AsSpan(0, written)));
        var decoded = new MarketSnapshot(1);
        _codec.Decode(buffer.AsSpan(0, written), decoded);
        Assert.True(snapshot.ContentEquals(decoded));
    }

    [Fact]
    public void OurBuffers_PassTheOfficialVerifier_AndTheOfficialReaderAgrees()
    {
        var generator = new SnapshotGenerator(11);
        for (int round = 0; round < 200; round++)
        {
            MarketSnapshot snapshot = generator.Generate(round % 40);
            byte[] buffer = new byte[_codec.GetMaxEncodedLength(snapshot.InstrumentCount)];
            _codec.Encode(snapshot, buffer);

            var byteBuffer = new ByteBuffer(buffer);
            Assert.True(Generated.Snapshot.SnapshotBufferHasIdentifier(byteBuffer));
            Assert.True(Generated.Snapshot.VerifySnapshot(byteBuffer), $"official verifier rejected round {round}");
            AssertOfficialReaderSees(snapshot, Generated.Snapshot.GetRootAsSnapshot(byteBuffer));
        }
    }

    [Fact]
    public void OfficialBuffers_AreReadByOurReader()
    {
        var generator = new SnapshotGenerator(12);
        var official = new FlatBuffersOfficialSnapshotEncoder();
        for (int round = 0; round < 200; round++)
        {
            MarketSnapshot snapshot = generator.Generate(round % 40);
            if (round % 10 == 0)
            {
                // Zero header values: the official builder omits default-valued fields from the table.
                snapshot.Sequence = 0;
                snapshot.SendTimestampNs = 0;
            }

            byte[] built = official.Build(snapshot).ToArray();
            Assert.True(Generated.Snapshot.VerifySnapshot(new ByteBuffer(built)));
            OverlaidSnapshot read = FlatBuffersSnapshotReader.Read(built);
            Assert.Equal(snapshot.Sequence, read.Sequence);
            Assert.Equal(snapshot.SendTimestampNs, read.SendTimestampNs);
            Assert.True(read.Instruments.SequenceEqual(snapshot.Instruments));
            Assert.Equal(SnapshotDigest.Of(snapshot), _codec.ReadEveryField(built));

            byte[] copied = new byte[built.Length];
            Assert.Equal(built.Length, official.Encode(snapshot, copied));
            Assert.Equal(built, copied);
        }
    }

    [Fact]
    public void BufferWithoutInstrumentsField_ReadsAsEmpty()
    {
        // An official buffer with no vector at all: the field is absent, the count is 0.
        var builder = new FlatBufferBuilder(64);
        Generated.Snapshot.StartSnapshot(builder);
        Generated.Snapshot.AddSequence(builder, 5);
        Generated.Snapshot.FinishSnapshotBuffer(builder, Generated.Snapshot.EndSnapshot(builder));
        SnapshotDigest digest = _codec.ReadEveryField(builder.SizedByteArray());
        Assert.Equal(5, digest.Sequence);
        Assert.Equal(0, digest.InstrumentCount);
    }

    [Fact]
    public void WrongIdentifier_IsRejected()
    {
        byte[] buffer = EncodeSample(2);
        buffer[FlatBuffersSnapshotLayout.FileIdentifierPosition] = (byte)'X';
        SnapshotFormatException error = Assert.Throws<SnapshotFormatException>(() => _codec.ReadEveryField(buffer));
        Assert.Equal("fb snapshot: file identifier is not \"SNAP\"", error.Message);
    }

    [Theory]
    [InlineData(FlatBuffersSnapshotLayout.RootOffsetPosition, 0xFFFF_FFF0u, "root table offset")]
    [InlineData(FlatBuffersSnapshotLayout.TablePosition, 0x7FFF_FFF0u, "vtable position")]
    [InlineData(FlatBuffersSnapshotLayout.VTablePosition, 0xFFFFu, "vtable length")]
    [InlineData(FlatBuffersSnapshotLayout.VTablePosition + 2, 0xFFF0u, "table length")]
    [InlineData(FlatBuffersSnapshotLayout.TablePosition + FlatBuffersSnapshotLayout.InstrumentsFieldOffset, 0x7FFF_FFF0u, "instruments vector")]
    [InlineData(FlatBuffersSnapshotLayout.VectorLengthPosition, 65_536u, "run past")]
    [InlineData(FlatBuffersSnapshotLayout.VectorLengthPosition, 0xFFFF_FFFFu, "instrument count 4294967295 is outside")]
    public void OffsetsAndCountsPointingOutside_AreRejected(int position, uint value, string expectedWords)
    {
        byte[] buffer = EncodeSample(3);
        if (value <= 0xFFFF && position < FlatBuffersSnapshotLayout.TablePosition)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(position), (ushort)value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(position), value);
        }

        SnapshotFormatException error = Assert.Throws<SnapshotFormatException>(() => _codec.ReadEveryField(buffer));
        Assert.Contains(expectedWords, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryTruncation_IsRejected()
    {
        byte[] buffer = EncodeSample(3);
        for (int length = 0; length < buffer.Length; length++)
        {
            Assert.Throws<SnapshotFormatException>(() => _codec.ReadEveryField(buffer.AsSpan(0, length)));
        }
    }

    [Fact]
    public void EncodeAndRead_DoNotAllocate()
    {
        MarketSnapshot snapshot = new SnapshotGenerator().Generate(128);
        byte[] buffer = EncodeSample(128);
        _codec.ReadEveryField(buffer);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            _codec.Encode(snapshot, buffer);
            _codec.ReadEveryField(buffer);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void AssertOfficialReaderSees(MarketSnapshot expected, Generated.Snapshot actual)
    {
        Assert.Equal(expected.Sequence, actual.Sequence);
        Assert.Equal(expected.SendTimestampNs, actual.SendTimestampNs);
        Assert.Equal(expected.InstrumentCount, actual.InstrumentsLength);
        for (int i = 0; i < expected.InstrumentCount; i++)
        {
            InstrumentSnapshot want = expected.Instruments[i];
            Generated.Instrument got = actual.Instruments(i)!.Value;
            Assert.Equal(want.InstrumentId, got.InstrumentId);
            Assert.Equal(want.LastPrice, got.LastPrice);
            Assert.Equal(want.Volume, got.Volume);
            Assert.Equal(want.Turnover, got.Turnover);
            Assert.Equal(want.ExchangeTimestampNs, got.ExchangeTimestampNs);
            for (int level = 0; level < OrderBookLevels.Count; level++)
            {
                Assert.Equal(want.Bids[level].Price, got.Bids(level).Price);
                Assert.Equal(want.Bids[level].Quantity, got.Bids(level).Quantity);
                Assert.Equal(want.Asks[level].Price, got.Asks(level).Price);
                Assert.Equal(want.Asks[level].Quantity, got.Asks(level).Quantity);
            }
        }
    }

    private byte[] EncodeSample(int instrumentCount)
    {
        MarketSnapshot snapshot = new SnapshotGenerator().Generate(instrumentCount);
        byte[] buffer = new byte[_codec.GetMaxEncodedLength(instrumentCount)];
        Assert.Equal(buffer.Length, _codec.Encode(snapshot, buffer));
        return buffer;
    }
}
