using System.Buffers;
using global::MessagePack;
using ShmIpc.Codecs.MessagePack;

namespace ShmIpc.Codecs.Tests.MessagePack;

public sealed class MessagePackSnapshotCodecTests
{
    private readonly MessagePackSnapshotCodec _codec = new();

    [Fact]
    public void OurBytes_EqualTheTypedSerializersBytes()
    {
        var typed = new MessagePackTypedSnapshotCodec();
        foreach (MarketSnapshot snapshot in new[] { new SnapshotGenerator().Generate(128), TestSnapshots.Extremes(), new MarketSnapshot(0), new SnapshotGenerator().Generate(16) })
        {
            var ours = new ArrayBufferWriter<byte>();
            var theirs = new ArrayBufferWriter<byte>();
            _codec.Encode(snapshot, ours);
            typed.Encode(snapshot, theirs);
            Assert.Equal(theirs.WrittenSpan.ToArray(), ours.WrittenSpan.ToArray());
        }
    }

    [Fact]
    public void OurBytes_EqualTheTypedSerializersBytes_ForRandomValuesOfEveryWidthAndSign()
    {
        // The per-instrument fast writer branches on ranges: random bit lengths and signs in every field.
        var random = new Random(7);
        long RandomLong() => (random.Next(2) == 0 ? 1 : -1) * (random.NextInt64() >> random.Next(64));
        int RandomInt() => (int)(RandomLong() >> 32);
        var typed = new MessagePackTypedSnapshotCodec();
        for (int round = 0; round < 20; round++)
        {
            var snapshot = new MarketSnapshot(64) { Sequence = RandomLong(), SendTimestampNs = RandomLong() };
            foreach (ref InstrumentSnapshot instrument in snapshot.Instruments)
            {
                instrument.InstrumentId = RandomInt();
                instrument.LastPrice = RandomInt();
                instrument.Volume = RandomLong();
                instrument.Turnover = RandomLong();
                instrument.ExchangeTimestampNs = RandomLong();
                for (int level = 0; level < OrderBookLevels.Count; level++)
                {
                    instrument.Bids[level] = new PriceLevel(RandomInt(), RandomInt());
                    instrument.Asks[level] = new PriceLevel(RandomInt(), RandomInt());
                }
            }

            var theirs = new ArrayBufferWriter<byte>();
            typed.Encode(snapshot, theirs);
            byte[] ours = Encode(snapshot);
            Assert.Equal(theirs.WrittenSpan.ToArray(), ours);
            Assert.Equal(SnapshotDigest.Of(snapshot), _codec.ReadEveryField(ours));
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(128)]
    public void Encode_WritesNothingPastItsLength_EvenAfterTheShortestInstruments(int count)
    {
        // All zeros: every instrument the shortest there is, so the fast writers' scratch reaches furthest past one.
        foreach (MarketSnapshot snapshot in new[] { new MarketSnapshot(count), new SnapshotGenerator().Generate(count) })
        {
            byte[] destination = new byte[_codec.GetMaxEncodedLength(count)];
            destination.AsSpan().Fill(0xC1);
            int length = _codec.Encode(snapshot, destination);
            Assert.All(destination[length..], b => Assert.Equal(0xC1, b));
            var other = new ArrayBufferWriter<byte>();
            new MessagePackTypedSnapshotCodec().Encode(snapshot, other);
            Assert.Equal(other.WrittenSpan.ToArray(), destination[..length]);
        }
    }

    [Fact]
    public void SpanWriter_EncodesIntegersLikeMessagePackWriter()
    {
        long[] values = [0, 1, 127, 128, 255, 256, 65_535, 65_536, uint.MaxValue, (long)uint.MaxValue + 1, long.MaxValue, -1, -32, -33, -128, -129, -32_768, -32_769, int.MinValue, (long)int.MinValue - 1, long.MinValue];
        foreach (long value in values)
        {
            var library = new ArrayBufferWriter<byte>();
            var writer = new MessagePackWriter(library);
            writer.Write(value);
            writer.Flush();

            byte[] ours = new byte[9];
            var spanWriter = new MessagePackSpanWriter(ours);
            spanWriter.Write(value);
            Assert.Equal(library.WrittenSpan.ToArray(), ours.AsSpan(0, spanWriter.Position).ToArray());
        }

        foreach (int count in new[] { 0, 15, 16, 65_535, 65_536 })
        {
            var library = new ArrayBufferWriter<byte>();
            var writer = new MessagePackWriter(library);
            writer.WriteArrayHeader(count);
            writer.Flush();

            byte[] ours = new byte[5];
            var spanWriter = new MessagePackSpanWriter(ours);
            spanWriter.WriteArrayHeader(count);
            Assert.Equal(library.WrittenSpan.ToArray(), ours.AsSpan(0, spanWriter.Position).ToArray());
        }
    }

    [Fact]
    public void Decode_GivesEveryInstrument_FromTheFastPathAndTheCheckingPath()
    {
        // 128 instruments: all but the last few are read by the unchecked path, those near the end by the checking one.
        MarketSnapshot snapshot = new SnapshotGenerator().Generate(128);
        var decoded = new MarketSnapshot(0);
        _codec.Decode(Encode(snapshot), decoded);
        Assert.True(snapshot.ContentEquals(decoded));

        MarketSnapshot extremes = TestSnapshots.Extremes();
        _codec.Decode(Encode(extremes), decoded);
        Assert.True(extremes.ContentEquals(decoded));
    }

    [Fact]
    public void Decode_RejectsWhatReadEveryFieldRejects_WithTheSameMessage()
    {
        MarketSnapshot snapshot = new SnapshotGenerator().Generate(128);
        snapshot.Instruments[60].Asks[4] = new PriceLevel(1, 1);
        byte[] encoded = Encode(snapshot);
        encoded[FindLevelOneAtOne(encoded)] = 0xC1; // the level's array header becomes the one code MessagePack never uses
        SnapshotFormatException read = Assert.Throws<SnapshotFormatException>(() => _codec.ReadEveryField(encoded));
        SnapshotFormatException decode = Assert.Throws<SnapshotFormatException>(() => _codec.Decode(encoded, new MarketSnapshot(0)));
        Assert.Equal(read.Message, decode.Message);
        Assert.Contains("instrument 60: expected an array header, found type code 0xC1", read.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0x92, 0x01, 0x02 }, "snapshot has 2 elements, expected 3")]
    [InlineData(new byte[] { 0x93, 0x01, 0x02, 0xDD, 0x7F, 0xFF, 0xFF, 0xFF }, "instrument count 2147483647 is outside")]
    [InlineData(new byte[] { 0x93, 0x01, 0x02, 0x91, 0x96, 0, 0, 0, 0, 0, 0 }, "instrument has 6 elements, expected 7")]
    [InlineData(new byte[] { 0x93, 0xA1, 0x41, 0x02, 0x90 }, "msgpack snapshot:")]
    [InlineData(new byte[] { 0x93, 0x01, 0x02, 0x90, 0x00 }, "1 unexpected bytes after the snapshot")]
    [InlineData(new byte[] { 0x93, 0x01 }, "truncated")]
    public void BadInput_IsRejectedWithAClearMessage(byte[] encoded, string expectedWords)
    {
        SnapshotFormatException error = Assert.Throws<SnapshotFormatException>(() => _codec.ReadEveryField(encoded));
        Assert.StartsWith("msgpack snapshot:", error.Message, StringComparison.Ordinal);
        Assert.Contains(expectedWords, error.Message, StringComparison.Ordinal);
        // Decode is a second entry point over its own loop: each bad input must stop it with the same message.
        SnapshotFormatException decodeError = Assert.Throws<SnapshotFormatException>(() => _codec.Decode(encoded, new MarketSnapshot(0)));
        Assert.Equal(error.Message, decodeError.Message);
    }

    [Fact]
    public void IntegerTooLargeForItsField_IsRejected()
    {
        MarketSnapshot snapshot = new SnapshotGenerator().Generate(1);
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(3);
        writer.Write(1L);
        writer.Write(2L);
        writer.WriteArrayHeader(1);
        writer.WriteArrayHeader(7);
        writer.Write(long.MaxValue); // instrument id is int32
        writer.Flush();
        SnapshotFormatException error = Assert.Throws<SnapshotFormatException>(() => _codec.ReadEveryField(buffer.WrittenSpan));
        Assert.Contains("instrument 0", error.Message, StringComparison.Ordinal);
        Assert.NotNull(snapshot);
    }

    [Fact]
    public void EveryWidthAndSign_ReadsTheSameFromASpanAndFromEverySplit()
    {
        // Extremes puts every integer format in every field; the fast reader must agree with the model everywhere,
        // and a split at any byte (the straddling instrument gathered, the rest read in place) must change nothing.
        MarketSnapshot snapshot = TestSnapshots.Extremes();
        byte[] encoded = Encode(snapshot);
        SnapshotDigest expected = SnapshotDigest.Of(snapshot);
        Assert.Equal(expected, _codec.ReadEveryField(encoded));
        for (int cut = 1; cut < encoded.Length; cut++)
        {
            Assert.Equal(expected, _codec.ReadEveryField(SequenceSplitter.Split(encoded, cut)));
        }

        // Many small segments: every instrument straddles one or more.
        int[] everySeventh = Enumerable.Range(1, encoded.Length / 7).Select(i => i * 7).ToArray();
        Assert.Equal(expected, _codec.ReadEveryField(SequenceSplitter.Split(encoded, everySeventh)));
    }

    [Fact]
    public void ValidButWiderEncodings_AreRead()
    {
        // Not what our writer emits, but valid MessagePack: array 16 and array 32 headers, every integer as a 64-bit one.
        // The fast reader declines such an instrument and the checking reader takes it.
        MarketSnapshot snapshot = new SnapshotGenerator().Generate(4);
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(3);
        writer.Write(snapshot.Sequence);
        writer.Write(snapshot.SendTimestampNs);
        writer.WriteArrayHeader(snapshot.InstrumentCount);
        for (int i = 0; i < snapshot.InstrumentCount; i++)
        {
            InstrumentSnapshot instrument = snapshot.Instruments[i];
            int headerWidth = i % 3;
            WriteWideArrayHeader(ref writer, 7, headerWidth);
            foreach (long value in new long[] { instrument.InstrumentId, instrument.LastPrice, instrument.Volume, instrument.Turnover, instrument.ExchangeTimestampNs })
            {
                writer.WriteInt64(value);
            }

            foreach (OrderBookLevels levels in new[] { instrument.Bids, instrument.Asks })
            {
                WriteWideArrayHeader(ref writer, OrderBookLevels.Count, headerWidth);
                for (int level = 0; level < OrderBookLevels.Count; level++)
                {
                    WriteWideArrayHeader(ref writer, 2, headerWidth);
                    writer.WriteInt64(levels[level].Price);
                    writer.WriteInt64(levels[level].Quantity);
                }
            }
        }

        writer.Flush();
        Assert.Equal(SnapshotDigest.Of(snapshot), _codec.ReadEveryField(buffer.WrittenSpan));
        var decoded = new MarketSnapshot(0);
        _codec.Decode(buffer.WrittenSpan, decoded);
        Assert.True(snapshot.ContentEquals(decoded));
        for (int cut = 1; cut < buffer.WrittenCount; cut++)
        {
            Assert.Equal(SnapshotDigest.Of(snapshot), _codec.ReadEveryField(SequenceSplitter.Split(buffer.WrittenSpan, cut, cut + 1)));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(60)]
    [InlineData(127)]
    public void AValueOutOfRangeInAnyInstrument_IsNamed(int badInstrument)
    {
        // Far from the end, so the fast reader sees the instrument first and must hand it to the checking reader.
        MarketSnapshot snapshot = new SnapshotGenerator().Generate(128);
        snapshot.Instruments[badInstrument].Asks[4] = new PriceLevel(1, 1);
        byte[] encoded = Encode(snapshot);
        int at = FindLevelOneAtOne(encoded);
        byte[] bad = [.. encoded[..at], 0x92, 0xCE, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, .. encoded[(at + 3)..]]; // price 2^32 - 1
        SnapshotFormatException error = Assert.Throws<SnapshotFormatException>(() => _codec.ReadEveryField(bad));
        Assert.Contains($"instrument {badInstrument}:", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not fit in 32 bits", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<SnapshotFormatException>(() => _codec.ReadEveryField(SequenceSplitter.Split(bad, at + 2)));
        Assert.Contains($"instrument {badInstrument}:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EncodeAndRead_DoNotAllocate()
    {
        MarketSnapshot snapshot = new SnapshotGenerator().Generate(128);
        byte[] buffer = new byte[_codec.GetMaxEncodedLength(128)];
        int written = _codec.Encode(snapshot, buffer);
        ReadOnlySequence<byte> split = SequenceSplitter.Split(buffer.AsSpan(0, written), 1000, 5000);
        _codec.ReadEveryField(buffer.AsSpan(0, written));
        _codec.ReadEveryField(split);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            written = _codec.Encode(snapshot, buffer);
            _codec.ReadEveryField(buffer.AsSpan(0, written));
            _codec.ReadEveryField(split);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private byte[] Encode(MarketSnapshot snapshot)
    {
        var writer = new ArrayBufferWriter<byte>();
        _codec.Encode(snapshot, writer);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Width 0: fixarray (what writers emit); 1: array 16; 2: array 32.</summary>
    private static void WriteWideArrayHeader(ref MessagePackWriter writer, int count, int width)
    {
        byte[] header = width switch
        {
            1 => [0xDC, 0x00, (byte)count],
            2 => [0xDD, 0x00, 0x00, 0x00, (byte)count],
            _ => [(byte)(0x90 | count)],
        };
        writer.WriteRaw(header);
    }

    /// <summary>Where the level (fixarray(2), fixint 1, fixint 1) starts: generated prices are at least 10,000, so it is the only one.</summary>
    private static int FindLevelOneAtOne(byte[] encoded)
    {
        int at = encoded.AsSpan().IndexOf(new byte[] { 0x92, 0x01, 0x01 });
        Assert.True(at > 0);
        Assert.Equal(-1, encoded.AsSpan(at + 1).IndexOf(new byte[] { 0x92, 0x01, 0x01 }));
        return at;
    }
}
