using ShmIpc.Codecs.MessagePack;

namespace ShmIpc.Codecs.Tests.MessagePack;

/// <summary>
/// <see cref="MessagePackBookVectorWriter"/> against <see cref="MessagePackSpanWriter"/>: the same bytes for every book
/// it takes, whatever shape the book before it had; a book with a negative value declined; nothing written past
/// <see cref="MessagePackBookVectorWriter.MaxReach"/>.
/// </summary>
public sealed class MessagePackBookVectorWriterTests
{
    private const byte Untouched = 0xC1; // "never used" in MessagePack

    public static TheoryData<int> Boundaries => [0, 1, 127, 128, 255, 256, 65_535, 65_536, int.MaxValue];

    [VectorBookTheory]
    [MemberData(nameof(Boundaries))]
    public void EveryWidthOfANonNegativeInt32_IsWrittenAsTheSpanWriterWritesIt(int value)
    {
        var instrument = new InstrumentSnapshot();
        for (int level = 0; level < OrderBookLevels.Count; level++)
        {
            instrument.Bids[level] = new PriceLevel(value, level);
            instrument.Asks[level] = new PriceLevel(level + 1, value);
        }

        var writer = new MessagePackBookVectorWriter();
        AssertWritten(ref writer, in instrument);
        AssertWritten(ref writer, in instrument); // and again with the shape it learnt
    }

    [VectorBookTheory]
    [InlineData(7)]
    [InlineData(20261207)]
    public void EveryBookTheGeneratorMakes_IsWritten_OneWriterForTheSnapshot(int seed)
    {
        var generator = new SnapshotGenerator((ulong)seed);
        MarketSnapshot snapshot = generator.Generate(128);
        var writer = new MessagePackBookVectorWriter();
        for (int tick = 0; tick < 3; tick++)
        {
            foreach (ref readonly InstrumentSnapshot instrument in snapshot.Instruments)
            {
                AssertWritten(ref writer, in instrument);
            }

            generator.Fill(snapshot);
        }
    }

    [VectorBookTheory]
    [InlineData(11)]
    public void BooksOfRandomShapesInARow_AreEachWrittenAsTheSpanWriterWritesThem(int seed)
    {
        var random = new Random(seed);
        int[] widths = [0x7F, 0xFF, 0xFFFF, int.MaxValue];
        var writer = new MessagePackBookVectorWriter();
        for (int book = 0; book < 2_000; book++)
        {
            InstrumentSnapshot instrument = TestSnapshots.RandomWidthBook(random, widths);
            AssertWritten(ref writer, in instrument);
        }
    }

    [VectorBookTheory]
    [InlineData(127, 128)]
    [InlineData(128, 127)]
    [InlineData(255, 256)]
    [InlineData(256, 255)]
    [InlineData(65_535, 65_536)]
    [InlineData(65_536, 65_535)]
    [InlineData(0, int.MaxValue)]
    public void AValueJustPastTheWidthOfTheShapeKnown_IsWrittenInItsOwnWidth(int learnt, int next)
    {
        // Each lane in turn: the shape of a book of learnt values, then one value next.
        for (int lane = 0; lane < 4 * OrderBookLevels.Count; lane++)
        {
            var writer = new MessagePackBookVectorWriter();
            AssertWritten(ref writer, Uniform(learnt));
            InstrumentSnapshot instrument = Uniform(learnt);
            ref OrderBookLevels side = ref lane < 2 * OrderBookLevels.Count ? ref instrument.Bids : ref instrument.Asks;
            int level = lane % (2 * OrderBookLevels.Count) / 2;
            side[level] = lane % 2 == 0 ? new PriceLevel(next, learnt) : new PriceLevel(learnt, next);
            AssertWritten(ref writer, in instrument);
        }

        static InstrumentSnapshot Uniform(int value)
        {
            var instrument = new InstrumentSnapshot();
            for (int level = 0; level < OrderBookLevels.Count; level++)
            {
                instrument.Bids[level] = new PriceLevel(value, value);
                instrument.Asks[level] = new PriceLevel(value, value);
            }

            return instrument;
        }
    }

    [VectorBookTheory]
    [InlineData(0, false, -1)]
    [InlineData(4, false, int.MinValue)]
    [InlineData(2, true, -129)]
    [InlineData(4, true, -70_000)]
    public void ABookWithANegativeValue_IsDeclined_AndTheShapeKnownIsKept(int level, bool asks, int negative)
    {
        var good = new InstrumentSnapshot();
        for (int index = 0; index < OrderBookLevels.Count; index++)
        {
            good.Bids[index] = new PriceLevel(100_000 + index, 300 + index);
            good.Asks[index] = new PriceLevel(100_010 + index, 400 + index);
        }

        InstrumentSnapshot bad = good;
        if (asks)
        {
            bad.Asks[level] = new PriceLevel(negative, 1);
        }
        else
        {
            bad.Bids[level] = new PriceLevel(1, negative);
        }

        var writer = new MessagePackBookVectorWriter();
        byte[] window = new byte[MessagePackBookVectorWriter.MaxReach];
        Assert.Equal(0, writer.TryWrite(ref window[0], in bad));
        AssertWritten(ref writer, in good);
        Assert.Equal(0, writer.TryWrite(ref window[0], in bad));
        AssertWritten(ref writer, in good);
    }

    private static void AssertWritten(ref MessagePackBookVectorWriter writer, in InstrumentSnapshot instrument)
    {
        byte[] expected = Book(in instrument);
        byte[] window = new byte[MessagePackBookVectorWriter.MaxReach + 64];
        window.AsSpan().Fill(Untouched);
        Assert.Equal(expected.Length, writer.TryWrite(ref window[0], in instrument));
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(window, 0, expected.Length));
        Assert.All(window[MessagePackBookVectorWriter.MaxReach..], b => Assert.Equal(Untouched, b));
    }

    /// <summary>Both sides as the span writer writes them (smallest encoding per value).</summary>
    private static byte[] Book(in InstrumentSnapshot instrument)
    {
        byte[] buffer = new byte[2 * MessagePackBookVectorReader.LongestSide];
        var writer = new MessagePackSpanWriter(buffer);
        foreach (OrderBookLevels side in new[] { instrument.Bids, instrument.Asks })
        {
            writer.WriteArrayHeader(OrderBookLevels.Count);
            for (int level = 0; level < OrderBookLevels.Count; level++)
            {
                writer.WriteArrayHeader(2);
                writer.Write(side[level].Price);
                writer.Write(side[level].Quantity);
            }
        }

        return buffer[..writer.Position];
    }
}
