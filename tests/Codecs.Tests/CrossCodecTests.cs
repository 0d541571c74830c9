using System.Buffers;
using ShmIpc.Codecs.FlatBuffers;
using ShmIpc.Codecs.MessagePack;

namespace ShmIpc.Codecs.Tests;

/// <summary>One snapshot, every codec: every decoder must give back exactly the same values.</summary>
public sealed class CrossCodecTests
{
    // The four registered codecs plus the two library-standard paths kept for comparison.
    public static TheoryData<string> CodecNames => [.. SnapshotCodecs.Names, MessagePackTypedSnapshotCodec.CodecName, FlatBuffersOfficialSnapshotCodec.CodecName];

    private static ISnapshotCodec Create(string name) => name switch
    {
        MessagePackTypedSnapshotCodec.CodecName => new MessagePackTypedSnapshotCodec(),
        FlatBuffersOfficialSnapshotCodec.CodecName => new FlatBuffersOfficialSnapshotCodec(),
        _ => SnapshotCodecs.Get(name),
    };

    [Fact]
    public void Registry_HasTheFourCodecs_AndGivesNewInstances()
    {
        Assert.Equal(["raw", "fb", "msgpack", "protobuf", "protobuf-classes"], SnapshotCodecs.Names);
        Assert.All(SnapshotCodecs.CreateAll(), codec => Assert.Equal(codec.Name, SnapshotCodecs.Get(codec.Name.ToUpperInvariant()).Name));
        Assert.NotSame(SnapshotCodecs.Get("raw"), SnapshotCodecs.Get("raw"));
        Assert.Throws<ArgumentException>(() => SnapshotCodecs.Get("json"));
    }

    [Fact]
    public void EveryCodec_DecodesTheSameValues()
    {
        MarketSnapshot[] snapshots = [new SnapshotGenerator().Generate(128), new SnapshotGenerator(3).Generate(8), new MarketSnapshot(0), TestSnapshots.Extremes()];
        foreach (MarketSnapshot snapshot in snapshots)
        {
            SnapshotDigest expected = SnapshotDigest.Of(snapshot);
            foreach (string name in CodecNames)
            {
                ISnapshotCodec codec = Create(name);
                byte[] buffer = new byte[codec.GetMaxEncodedLength(snapshot.InstrumentCount)];
                int written = codec.Encode(snapshot, buffer);
                ReadOnlySpan<byte> encoded = buffer.AsSpan(0, written);

                Assert.Equal(expected, codec.ReadEveryField(encoded));
                var decoded = new MarketSnapshot(3);
                codec.Decode(encoded, decoded);
                Assert.True(snapshot.ContentEquals(decoded), $"{name} decoded different values");
            }
        }
    }

    [Theory]
    [MemberData(nameof(CodecNames))]
    public void ReadEveryField_OfASplitSequence_EqualsTheSpan(string name)
    {
        ISnapshotCodec codec = Create(name);
        MarketSnapshot snapshot = new SnapshotGenerator(5).Generate(16);
        var writer = new ArrayBufferWriter<byte>();
        codec.Encode(snapshot, writer);
        byte[] encoded = writer.WrittenSpan.ToArray();
        SnapshotDigest expected = SnapshotDigest.Of(snapshot);

        Assert.Equal(expected, codec.ReadEveryField(new ReadOnlySequence<byte>(encoded)));
        var random = new Random(9);
        for (int round = 0; round < 50; round++)
        {
            int[] cuts = [.. Enumerable.Range(0, 1 + (round % 6)).Select(_ => random.Next(encoded.Length))];
            Assert.Equal(expected, codec.ReadEveryField(SequenceSplitter.Split(encoded, cuts)));
        }

        // Every single cut point, including inside headers and integers.
        for (int cut = 1; cut < encoded.Length; cut++)
        {
            Assert.Equal(expected, codec.ReadEveryField(SequenceSplitter.Split(encoded, cut)));
        }
    }

    [Theory]
    [MemberData(nameof(CodecNames))]
    public void Encode_IntoBufferWriter_EqualsEncodeIntoSpan(string name)
    {
        ISnapshotCodec codec = Create(name);
        MarketSnapshot snapshot = new SnapshotGenerator(6).Generate(128);
        byte[] direct = new byte[codec.GetMaxEncodedLength(128)];
        int written = codec.Encode(snapshot, direct);
        var writer = new ArrayBufferWriter<byte>();
        codec.Encode(snapshot, writer);
        Assert.Equal(direct.AsSpan(0, written).ToArray(), writer.WrittenSpan.ToArray());
    }

    [Theory]
    [MemberData(nameof(CodecNames))]
    public void Encode_IntoASpanOneByteShort_ThrowsArgumentException(string name)
    {
        ISnapshotCodec codec = Create(name);
        MarketSnapshot snapshot = new SnapshotGenerator(6).Generate(8);
        byte[] buffer = new byte[codec.GetMaxEncodedLength(8)];
        int written = codec.Encode(snapshot, buffer);
        Assert.Throws<ArgumentException>(() => codec.Encode(snapshot, buffer.AsSpan(0, written - 1)));
        Assert.Equal(written, codec.Encode(snapshot, buffer.AsSpan(0, written)));
    }

    [Theory]
    [MemberData(nameof(CodecNames))]
    public void MaxEncodedLength_HoldsTheExtremes(string name)
    {
        ISnapshotCodec codec = Create(name);
        MarketSnapshot snapshot = TestSnapshots.Extremes();
        // Make every value as wide as it gets for the varint/fixint encodings: large negatives.
        foreach (ref InstrumentSnapshot instrument in snapshot.Instruments)
        {
            instrument.InstrumentId = instrument.LastPrice = int.MinValue;
            instrument.Volume = instrument.Turnover = instrument.ExchangeTimestampNs = long.MinValue;
            for (int level = 0; level < OrderBookLevels.Count; level++)
            {
                instrument.Bids[level] = instrument.Asks[level] = new PriceLevel(int.MinValue, int.MinValue);
            }
        }

        byte[] buffer = new byte[codec.GetMaxEncodedLength(snapshot.InstrumentCount)];
        int written = codec.Encode(snapshot, buffer);
        Assert.InRange(written, 1, buffer.Length);
        Assert.Equal(SnapshotDigest.Of(snapshot), codec.ReadEveryField(buffer.AsSpan(0, written)));
    }

    [Fact]
    public void EncodedSizes_AreInTheExpectedRange()
    {
        MarketSnapshot snapshot = new SnapshotGenerator().Generate(128);
        var sizes = SnapshotCodecs.CreateAll().ToDictionary(codec => codec.Name, codec => codec.Encode(snapshot, new byte[codec.GetMaxEncodedLength(128)]));
        Assert.InRange(sizes["raw"], 14_000, 18_000);
        Assert.Equal(sizes["raw"] + 16, sizes["fb"]);
        // The variable-length encodings are not smaller here: prices, turnover and timestamps are large numbers.
        Assert.InRange(sizes["msgpack"], 10_000, 18_000);
        Assert.InRange(sizes["protobuf"], 10_000, 18_000);
    }

    [Fact]
    public void FlatBuffersOfficialEncoder_AgreesWithEveryCodec()
    {
        MarketSnapshot snapshot = new SnapshotGenerator().Generate(128);
        byte[] official = new FlatBuffersOfficialSnapshotEncoder().Build(snapshot).ToArray();
        Assert.Equal(SnapshotDigest.Of(snapshot), new FlatBuffersSnapshotCodec().ReadEveryField(official));
    }

    [Theory]
    [MemberData(nameof(CodecNames))]
    public unsafe void EveryCodec_EncodesIntoAndReadsFromNativeMemory_AtAnyAlignment(string name)
    {
        // Like a ring slot in a mapped file: memory the GC does not own, at 64-byte and odd offsets.
        ISnapshotCodec codec = Create(name);
        MarketSnapshot snapshot = new SnapshotGenerator(8).Generate(128);
        int capacity = codec.GetMaxEncodedLength(128) + 64;
        byte* block = (byte*)System.Runtime.InteropServices.NativeMemory.AlignedAlloc((nuint)capacity, 64);
        try
        {
            foreach (int offset in new[] { 0, 8, 3 })
            {
                var slot = new Span<byte>(block + offset, capacity - offset);
                int written = codec.Encode(snapshot, slot);
                Assert.Equal(SnapshotDigest.Of(snapshot), codec.ReadEveryField(slot[..written]));
            }
        }
        finally
        {
            System.Runtime.InteropServices.NativeMemory.AlignedFree(block);
        }
    }
}
