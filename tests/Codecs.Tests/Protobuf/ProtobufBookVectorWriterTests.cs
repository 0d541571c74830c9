using ShmIpc.Codecs.Protobuf;

namespace ShmIpc.Codecs.Tests.Protobuf;

/// <summary>
/// <see cref="ProtobufBookVectorWriter"/> against the wire bytes written here value by value (and so against
/// Google.Protobuf's, which the codec's tests hold both to): the same bytes for every book it takes, a book with a
/// value of five bytes or more declined, nothing written past <see cref="ProtobufBookVectorWriter.MaxReach"/>.
/// </summary>
public sealed class ProtobufBookVectorWriterTests
{
    private const byte Untouched = 0xA5;

    public static TheoryData<int> Boundaries => [0, 1, 127, 128, (1 << 14) - 1, 1 << 14, (1 << 21) - 1, 1 << 21, (1 << 28) - 1];

    [VectorBookTheory]
    [MemberData(nameof(Boundaries))]
    public void ValuesUpToFourBytes_AreWrittenAsProtobufWritesThem(int value)
    {
        var instrument = new InstrumentSnapshot();
        for (int level = 0; level < OrderBookLevels.Count; level++)
        {
            instrument.Bids[level] = new PriceLevel(value, level);
            instrument.Asks[level] = new PriceLevel(level + 1, value);
        }

        AssertWritten(in instrument);
    }

    [VectorBookTheory]
    [InlineData(7)]
    [InlineData(20261207)]
    public void EveryBookTheGeneratorMakes_IsWritten(int seed)
    {
        MarketSnapshot snapshot = new SnapshotGenerator((ulong)seed).Generate(128);
        foreach (ref readonly InstrumentSnapshot instrument in snapshot.Instruments)
        {
            AssertWritten(in instrument);
        }
    }

    [VectorBookTheory]
    [InlineData(11)]
    public void BooksOfRandomLengths_AreWrittenAsProtobufWritesThem(int seed)
    {
        var random = new Random(seed);
        int[] widths = [(1 << 7) - 1, (1 << 14) - 1, (1 << 21) - 1, (1 << 28) - 1];
        for (int book = 0; book < 2_000; book++)
        {
            InstrumentSnapshot instrument = TestSnapshots.RandomWidthBook(random, widths);
            AssertWritten(in instrument);
        }
    }

    [VectorBookTheory]
    [InlineData(0, false, false, 1 << 28)]
    [InlineData(4, false, true, int.MaxValue)]
    [InlineData(2, true, false, -1)]
    [InlineData(4, true, false, int.MinValue)]
    [InlineData(4, true, true, 1 << 28)]
    [InlineData(0, true, true, -1)]
    public void ABookWithAValueOfFiveBytesOrMore_IsDeclined(int level, bool asks, bool quantity, int value)
    {
        var instrument = new InstrumentSnapshot();
        for (int index = 0; index < OrderBookLevels.Count; index++)
        {
            instrument.Bids[index] = new PriceLevel(100_000 + index, 300 + index);
            instrument.Asks[index] = new PriceLevel(100_010 + index, 400 + index);
        }

        ref OrderBookLevels side = ref asks ? ref instrument.Asks : ref instrument.Bids;
        side[level] = quantity ? new PriceLevel(1, value) : new PriceLevel(value, 1);
        byte[] window = new byte[ProtobufBookVectorWriter.MaxReach];
        Assert.Equal(0, ProtobufBookVectorWriter.TryWrite(ref window[0], in instrument));
    }

    private static void AssertWritten(in InstrumentSnapshot instrument)
    {
        byte[] expected = new WireBytes().Book(in instrument).ToArray();
        byte[] window = new byte[ProtobufBookVectorWriter.MaxReach + 64];
        window.AsSpan().Fill(Untouched);
        Assert.Equal(expected.Length, ProtobufBookVectorWriter.TryWrite(ref window[0], in instrument));
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(window, 0, expected.Length));
        Assert.All(window[ProtobufBookVectorWriter.MaxReach..], b => Assert.Equal(Untouched, b));
    }
}
