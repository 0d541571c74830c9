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
    public void Reader_ExposesEveryInstrumentInOrder()
    {
        MarketSnapshot snapshot = new SnapshotGenerator().Generate(8);
        var writer = new ArrayBufferWriter<byte>();
        _codec.Encode(snapshot, writer);
        var reader = new MessagePackSnapshotReader(new ReadOnlySequence<byte>(writer.WrittenMemory));
        Assert.Equal(snapshot.Sequence, reader.Sequence);
        Assert.Equal(8, reader.InstrumentCount);
        int index = 0;
        while (reader.TryReadInstrument(out InstrumentSnapshot instrument))
        {
            Assert.Equal(snapshot.Instruments[index++], instrument);
        }

        reader.ReadEnd();
        Assert.Equal(8, index);
    }

    [Theory]
    [InlineData(new byte[] { 0x92, 0x01, 0x02 }, "snapshot has 2 elements, expected 3")]
    [InlineData(new byte[] { 0x93, 0x01, 0x02, 0xDD, 0x7F, 0xFF, 0xFF, 0xFF }, "instrument count 2147483647 exceeds")]
    [InlineData(new byte[] { 0x93, 0x01, 0x02, 0x91, 0x96, 0, 0, 0, 0, 0, 0 }, "instrument has 6 elements, expected 7")]
    [InlineData(new byte[] { 0x93, 0xA1, 0x41, 0x02, 0x90 }, "msgpack snapshot:")]
    [InlineData(new byte[] { 0x93, 0x01, 0x02, 0x90, 0x00 }, "1 unexpected bytes after the snapshot")]
    [InlineData(new byte[] { 0x93, 0x01 }, "truncated")]
    public void BadInput_IsRejectedWithAClearMessage(byte[] encoded, string expectedWords)
    {
        SnapshotFormatException error = Assert.Throws<SnapshotFormatException>(() => _codec.ReadEveryField(encoded));
        Assert.StartsWith("msgpack snapshot:", error.Message, StringComparison.Ordinal);
        Assert.Contains(expectedWords, error.Message, StringComparison.Ordinal);
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
}
