using System.Buffers;
using Google.Protobuf;
using ShmIpc.Codecs.Protobuf;

namespace ShmIpc.Codecs.Tests.Protobuf;

public sealed class ProtobufClassesSnapshotCodecTests
{
    private readonly ProtobufClassesSnapshotCodec _codec = new();

    [Fact]
    public void CopyTo_FillsAMessageThatTheOfficialParserReadsBack()
    {
        MarketSnapshot snapshot = new SnapshotGenerator().Generate(128);
        var message = new Snapshot();
        ProtobufClassesSnapshotCodec.CopyTo(snapshot, message);
        Snapshot parsed = Snapshot.Parser.ParseFrom(message.ToByteArray());
        Assert.Equal(message, parsed);
        Assert.Equal(SnapshotDigest.Of(snapshot), ProtobufClassesSnapshotCodec.ReadEveryField(parsed));
        Assert.Equal(snapshot.Instruments[5].Asks[3].Quantity, parsed.Instruments[5].AskQuantities[3]);
    }

    [Fact]
    public void CopyTo_ReusesTheMessage_WhenTheCountChanges()
    {
        var generator = new SnapshotGenerator();
        var message = new Snapshot();
        foreach (int count in new[] { 128, 8, 0, 64 })
        {
            MarketSnapshot snapshot = generator.Generate(count);
            ProtobufClassesSnapshotCodec.CopyTo(snapshot, message);
            Assert.Equal(SnapshotDigest.Of(snapshot), ProtobufClassesSnapshotCodec.ReadEveryField(message));
        }
    }

    [Fact]
    public void Encode_AllocatesNothing_ParseAllocatesOnlyTheInstruments()
    {
        MarketSnapshot snapshot = new SnapshotGenerator().Generate(128);
        byte[] buffer = new byte[_codec.GetMaxEncodedLength(128)];
        int written = _codec.Encode(snapshot, buffer);
        _codec.ReadEveryField(buffer.AsSpan(0, written));

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            _codec.Encode(snapshot, buffer);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        before = GC.GetAllocatedBytesForCurrentThread();
        _codec.ReadEveryField(buffer.AsSpan(0, written));
        long perParse = GC.GetAllocatedBytesForCurrentThread() - before;
        // A new Instrument, four RepeatedField<int> and their arrays per instrument (about 440 B each on .NET 10), and
        // nothing per byte of input: the slack above that is far less than the input, so a parse that copies its
        // input (ParseFrom(encoded.ToArray())) fails.
        const int PerInstrumentBound = 480;
        Assert.True(written > 128 * (PerInstrumentBound - 400), $"a {written} B input must not fit in the bound's slack");
        Assert.InRange(perParse, 128 * 400, 128 * PerInstrumentBound);
    }

    [Fact]
    public void ReadEveryField_OfAParsedMessage_AllocatesNothing()
    {
        // What a gRPC handler does with the message it was given: read it, in place, with no garbage per message.
        var message = new Snapshot();
        ProtobufClassesSnapshotCodec.CopyTo(new SnapshotGenerator().Generate(128), message);
        SnapshotDigest expected = ProtobufClassesSnapshotCodec.ReadEveryField(message);
        Assert.True(ProtobufClassesSnapshotCodec.ReadEveryField(message) == expected); // creates the comparers == uses, once

        int matching = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            matching += ProtobufClassesSnapshotCodec.ReadEveryField(message) == expected ? 1 : 0;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(100, matching);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void WrongLevelCount_IsRejected()
    {
        MarketSnapshot snapshot = new SnapshotGenerator().Generate(3);
        var message = new Snapshot();
        ProtobufClassesSnapshotCodec.CopyTo(snapshot, message);
        message.Instruments[2].AskQuantities.Add(1);
        SnapshotFormatException error = Assert.Throws<SnapshotFormatException>(() => _codec.ReadEveryField(message.ToByteArray()));
        Assert.Equal("protobuf-classes snapshot: instrument 2 has 5/5 bid and 5/6 ask prices/quantities, expected 5 each", error.Message);
    }

    [Fact]
    public void Garbage_IsRejectedAsSnapshotFormatException()
    {
        SnapshotFormatException error = Assert.Throws<SnapshotFormatException>(() => _codec.ReadEveryField(new byte[] { 0x1A, 0xFF, 0xFF, 0xFF, 0x0F }));
        Assert.StartsWith("protobuf-classes snapshot:", error.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidProtocolBufferException>(error.InnerException);
    }

    [Fact]
    public void Parse_FromASplitSequence_EqualsParseFromSpan()
    {
        MarketSnapshot snapshot = new SnapshotGenerator().Generate(8);
        var writer = new ArrayBufferWriter<byte>();
        _codec.Encode(snapshot, writer);
        Snapshot fromSpan = _codec.Parse(writer.WrittenSpan).Clone();
        Snapshot fromSequence = _codec.Parse(SequenceSplitter.Split(writer.WrittenSpan, 7, 100, 101));
        Assert.Equal(fromSpan, fromSequence);
    }

    [Fact]
    public void ReusedMessage_DoesNotAccumulateUnknownFields()
    {
        // A valid snapshot followed by an unknown field (number 15, varint): parsed, and must not pile up.
        MarketSnapshot snapshot = new SnapshotGenerator().Generate(1);
        var writer = new ArrayBufferWriter<byte>();
        _codec.Encode(snapshot, writer);
        byte[] withUnknown = [.. writer.WrittenSpan, 0x78, 0x01];
        Assert.Equal(SnapshotDigest.Of(snapshot), _codec.ReadEveryField(withUnknown));
        int sizeAfterOne = _codec.Parse(withUnknown).CalculateSize();
        for (int i = 0; i < 100; i++)
        {
            _codec.ReadEveryField(withUnknown);
        }

        Assert.Equal(sizeAfterOne, _codec.Parse(withUnknown).CalculateSize());
        Assert.Equal(writer.WrittenCount + 2, sizeAfterOne);
    }
}
