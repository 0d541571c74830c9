using Google.Protobuf;
using ShmIpc.Codecs.Protobuf;

namespace ShmIpc.Codecs.Tests.Protobuf;

/// <summary>
/// The in-place codec against Google.Protobuf's generated classes, both ways, and against what a protobuf parser must
/// accept that the generated classes never write.
/// </summary>
public sealed class ProtobufSnapshotCodecTests
{
    private readonly ProtobufSnapshotCodec _codec = new();

    public static TheoryData<int> Snapshots => [0, 1, 128];

    [Theory]
    [MemberData(nameof(Snapshots))]
    public void OurBytes_ParseIntoTheGeneratedClasses_WithEveryFieldEqual(int which)
    {
        MarketSnapshot snapshot = Pick(which);
        var expected = new Snapshot();
        ProtobufClassesSnapshotCodec.CopyTo(snapshot, expected);

        Snapshot parsed = Snapshot.Parser.ParseFrom(Encode(snapshot));

        Assert.Equal(expected, parsed);
        Assert.Equal(expected.ToByteArray(), Encode(snapshot));
    }

    [Theory]
    [MemberData(nameof(Snapshots))]
    public void GeneratedClassesBytes_ReadThroughOurReader_GiveTheSameDigest(int which)
    {
        MarketSnapshot snapshot = Pick(which);
        var message = new Snapshot();
        ProtobufClassesSnapshotCodec.CopyTo(snapshot, message);
        byte[] bytes = message.ToByteArray();

        Assert.Equal(SnapshotDigest.Of(snapshot), _codec.ReadEveryField(bytes));
        Assert.Equal(SnapshotDigest.Of(snapshot), _codec.ReadEveryField(SequenceSplitter.Split(bytes, bytes.Length / 3, bytes.Length / 2, bytes.Length - 1)));
        var decoded = new MarketSnapshot(0);
        _codec.Decode(bytes, decoded);
        Assert.True(snapshot.ContentEquals(decoded));
    }

    [Fact]
    public void UnusualButValidEncoding_ReadsLikeTheGeneratedClassesParseIt()
    {
        byte[] bytes = UnusualEncoding(out MarketSnapshot expected);

        // The generated parser is the reference: it must agree with what the test means the bytes to say.
        var reference = new ProtobufClassesSnapshotCodec();
        Assert.Equal(SnapshotDigest.Of(expected), reference.ReadEveryField(bytes));
        Assert.Equal(SnapshotDigest.Of(expected), _codec.ReadEveryField(bytes));
        for (int cut = 1; cut < bytes.Length; cut++)
        {
            Assert.Equal(SnapshotDigest.Of(expected), _codec.ReadEveryField(SequenceSplitter.Split(bytes, cut, cut + 7)));
        }
    }

    [Fact]
    public void SixthValueInALevelField_IsRejected()
    {
        byte[] bytes = new WireBytes().LengthDelimited(3, Instrument(bids: [1, 2, 3, 4, 5, 6])).ToArray();

        SnapshotFormatException error = Assert.Throws<SnapshotFormatException>(() => _codec.ReadEveryField(bytes));
        Assert.Equal("protobuf snapshot: instrument 0 has more than 5 values in a level field", error.Message);
    }

    [Fact]
    public void MissingLevels_AreRejected()
    {
        byte[] bytes = new WireBytes().LengthDelimited(3, Instrument(bids: [1, 2, 3, 4])).ToArray();

        SnapshotFormatException error = Assert.Throws<SnapshotFormatException>(() => _codec.ReadEveryField(bytes));
        Assert.Equal("protobuf snapshot: instrument 0 has 4/5 bid and 5/5 ask prices/quantities, expected 5 each", error.Message);
    }

    [Fact]
    public void VarintOfElevenBytes_IsRejected_TenAreAccepted()
    {
        byte[] ten = new WireBytes().Int32(1, 7, minLength: 10).ToArray();
        byte[] eleven = new WireBytes().Int32(1, 7, minLength: 11).ToArray();

        Assert.Equal(7, _codec.ReadEveryField(ten).Sequence);
        SnapshotFormatException error = Assert.Throws<SnapshotFormatException>(() => _codec.ReadEveryField(eleven));
        Assert.Equal("protobuf snapshot: varint longer than 10 bytes", error.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x1A, 0x05, 0x08 }, "length 5 runs past the end (1 bytes left)")]
    [InlineData(new byte[] { 0x11, 0x01, 0x02 }, "fixed64 value truncated")]
    [InlineData(new byte[] { 0x00 }, "invalid tag 0")]
    [InlineData(new byte[] { 0x23 }, "field 4 has wire type 3 (groups are not part of snapshot.proto)")]
    public void BadInput_NamesTheProblem(byte[] bytes, string problem)
    {
        SnapshotFormatException error = Assert.Throws<SnapshotFormatException>(() => _codec.ReadEveryField(bytes));
        Assert.Equal("protobuf snapshot: " + problem, error.Message);
    }

    [Fact]
    public void EncodeAndRead_AllocateNothing()
    {
        MarketSnapshot snapshot = new SnapshotGenerator().Generate(128);
        byte[] buffer = new byte[_codec.GetMaxEncodedLength(128)];
        int length = _codec.Encode(snapshot, buffer);
        System.Buffers.ReadOnlySequence<byte> split = SequenceSplitter.Split(buffer.AsSpan(0, length), 1000, 5000, 9001);
        _codec.ReadEveryField(buffer.AsSpan(0, length));
        _codec.ReadEveryField(split);

        long before = GC.GetAllocatedBytesForCurrentThread();
        _codec.Encode(snapshot, buffer);
        SnapshotDigest span = _codec.ReadEveryField(buffer.AsSpan(0, length));
        SnapshotDigest sequence = _codec.ReadEveryField(split);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(SnapshotDigest.Of(snapshot), span);
        Assert.Equal(span, sequence);
    }

    [Fact]
    public void EncodedLength_IsWhatTheEncodingTakes_AtEveryVarintLengthsEdge()
    {
        // Each edge of a varint's byte count for an int32 (7, 14, 21, 28 bits; negatives take 10), in every level field.
        int[] edges = [0, 1, 0x7F, 0x80, 0x3FFF, 0x4000, 0x1F_FFFF, 0x20_0000, 0xFFF_FFFF, 0x1000_0000, int.MaxValue, -1, int.MinValue];
        var snapshot = new MarketSnapshot(3 * edges.Length) { Sequence = 0x4000, SendTimestampNs = 1 };
        for (int i = 0; i < snapshot.InstrumentCount; i++)
        {
            ref InstrumentSnapshot instrument = ref snapshot.Instruments[i];
            instrument.InstrumentId = edges[i % edges.Length];
            instrument.LastPrice = edges[(i + 1) % edges.Length];
            instrument.Volume = edges[(i + 2) % edges.Length];
            for (int level = 0; level < OrderBookLevels.Count; level++)
            {
                instrument.Bids[level] = new PriceLevel(edges[(i + level) % edges.Length], edges[(i + (2 * level) + 1) % edges.Length]);
                instrument.Asks[level] = new PriceLevel(edges[(i + (3 * level) + 2) % edges.Length], edges[((i / 3) + level) % edges.Length]);
            }
        }

        foreach (MarketSnapshot each in (MarketSnapshot[])[snapshot, TestSnapshots.Extremes(), new SnapshotGenerator().Generate(128), new MarketSnapshot(0)])
        {
            var message = new Snapshot();
            ProtobufClassesSnapshotCodec.CopyTo(each, message);
            int length = ProtobufSnapshotCodec.GetEncodedLength(each);
            Assert.Equal(message.CalculateSize(), length);
            Assert.Equal(length, Encode(each).Length);
        }
    }

    [Fact]
    public void EncodedLength_IsWhatGoogleProtobufMeasures_ForValuesOfEveryBitLength()
    {
        // Every scalar and book value of a random bit length (0 to 64 for the int64s, 0 to 32 for the int32s, so
        // negatives too), each scalar zero now and then (omitted).
        var random = new Random(20261208);
        var snapshot = new MarketSnapshot(256) { Sequence = 1, SendTimestampNs = 1 };
        foreach (ref InstrumentSnapshot instrument in snapshot.Instruments)
        {
            instrument.InstrumentId = (int)Bits(32);
            instrument.LastPrice = (int)Bits(32);
            instrument.Volume = Bits(64);
            instrument.Turnover = Bits(64);
            instrument.ExchangeTimestampNs = random.Next(4) == 0 ? 0 : Bits(64);
            for (int level = 0; level < OrderBookLevels.Count; level++)
            {
                instrument.Bids[level] = new PriceLevel((int)Bits(32), (int)Bits(32));
                instrument.Asks[level] = new PriceLevel((int)Bits(32), (int)Bits(32));
            }
        }

        var message = new Snapshot();
        ProtobufClassesSnapshotCodec.CopyTo(snapshot, message);
        Assert.Equal(message.CalculateSize(), ProtobufSnapshotCodec.GetEncodedLength(snapshot));
        Assert.Equal(message.CalculateSize(), Encode(snapshot).Length);

        // A value of exactly `bits` bits (its top one set), 0 for none.
        long Bits(int most)
        {
            int bits = random.Next(most + 1);
            return bits == 0 || random.Next(8) == 0 ? 0 : (long)(((ulong)random.NextInt64() | (1UL << 63)) >> (64 - bits));
        }
    }

    private static MarketSnapshot Pick(int which) => which switch
    {
        0 => TestSnapshots.Extremes(),
        1 => new MarketSnapshot(0),
        _ => new SnapshotGenerator().Generate(which),
    };

    private byte[] Encode(MarketSnapshot snapshot)
    {
        byte[] buffer = new byte[_codec.GetMaxEncodedLength(snapshot.InstrumentCount)];
        return buffer.AsSpan(0, _codec.Encode(snapshot, buffer)).ToArray();
    }

    /// <summary>
    /// Two instruments; the header after them, the sequence given twice; unknown fields of every wire type at both
    /// levels; bids unpacked, asks half packed half not; the id given twice; non-minimal varints.
    /// </summary>
    private static byte[] UnusualEncoding(out MarketSnapshot expected)
    {
        expected = new MarketSnapshot(2) { Sequence = 42, SendTimestampNs = -5 };
        for (int index = 0; index < 2; index++)
        {
            ref InstrumentSnapshot instrument = ref expected.Instruments[index];
            instrument.InstrumentId = 100 + index;
            instrument.LastPrice = -7;
            instrument.Volume = long.MaxValue;
            instrument.Turnover = 3;
            instrument.ExchangeTimestampNs = 99;
            for (int level = 0; level < OrderBookLevels.Count; level++)
            {
                instrument.Bids[level] = new PriceLevel(10 + level, 20 + level);
                instrument.Asks[level] = new PriceLevel(-30 - level, 40 + level);
            }
        }

        var instrumentBytes = new List<byte[]>();
        for (int index = 0; index < 2; index++)
        {
            var body = new WireBytes()
                .Packed(9, 40, 41, 42)
                .Fixed64(5, 99)
                .Int32(1, 12345)
                .Fixed32(15, 1)
                .Int32(2, -7)
                .Int32(8, -30).Int32(8, -31)
                .Int64(3, long.MaxValue)
                .Packed(8, -32, -33, -34)
                .LengthDelimited(16, [1, 2, 3])
                .Int32(4, 3, minLength: 10)
                .Int32(1, 100 + index, minLength: 3)
                .Int32(9, 43).Int32(9, 44);
            for (int level = 0; level < OrderBookLevels.Count; level++)
            {
                body.Int32(6, 10 + level).Int32(7, 20 + level, minLength: 2);
            }

            instrumentBytes.Add(body.ToArray());
        }

        return new WireBytes()
            .Int64(1, 1)
            .LengthDelimited(3, instrumentBytes[0])
            .Fixed32(20, 7)
            .LengthDelimited(21, [9, 9])
            .Int64(22, 5)
            .Fixed64(2, -5)
            .LengthDelimited(3, instrumentBytes[1])
            .Tag(1, 0).Varint(42, minLength: 4)
            .ToArray();
    }

    private static byte[] Instrument(int[] bids)
    {
        var body = new WireBytes().Packed(6, bids).Packed(7, 1, 2, 3, 4, 5).Packed(8, 1, 2, 3, 4, 5).Packed(9, 1, 2, 3, 4, 5);
        return body.ToArray();
    }
}
