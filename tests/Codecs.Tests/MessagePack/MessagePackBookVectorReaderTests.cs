using System.Runtime.Intrinsics;
using ShmIpc.Codecs.MessagePack;

namespace ShmIpc.Codecs.Tests.MessagePack;

/// <summary>
/// <see cref="MessagePackBookVectorReader"/> against a plain decoder here (<see cref="MessagePackSpanReader"/>, the
/// checking primitives): it must take every book the writers emit, whatever shape the book before it had (so the
/// receiver's read is the fast one), decline what it is not made for, and read whatever it takes as the checking
/// primitives do, both when a book has the shape it knows and when it must learn one.
/// </summary>
public sealed class MessagePackBookVectorReaderTests
{
    private const int Mutations = 50_000;

    // Room past a book for both sides' 64-byte loads, filled with type bytes no shape takes (no 0 padding to lean on).
    private const int Padding = MessagePackBookVectorReader.MaxReach;

    public static TheoryData<int> Boundaries => [0, 1, 127, 128, 255, 256, 65_535, 65_536, int.MaxValue];

    [VectorBookTheory]
    [MemberData(nameof(Boundaries))]
    public void EveryWidthOfANonNegativeInt32_IsTaken(int value)
    {
        var instrument = new InstrumentSnapshot();
        for (int level = 0; level < OrderBookLevels.Count; level++)
        {
            instrument.Bids[level] = new PriceLevel(value, level);
            instrument.Asks[level] = new PriceLevel(level + 1, value);
        }

        var reader = new MessagePackBookVectorReader();
        AssertTaken(ref reader, Book(in instrument), in instrument);
        AssertTaken(ref reader, Book(in instrument), in instrument); // and again with the shape it learnt
    }

    [VectorBookTheory]
    [InlineData(7)]
    [InlineData(20261207)]
    public void EveryBookTheGeneratorMakes_IsTaken_OneReaderForTheSnapshot(int seed)
    {
        var generator = new SnapshotGenerator((ulong)seed);
        MarketSnapshot snapshot = generator.Generate(128);
        var reader = new MessagePackBookVectorReader();
        for (int tick = 0; tick < 3; tick++)
        {
            foreach (ref readonly InstrumentSnapshot instrument in snapshot.Instruments)
            {
                AssertTaken(ref reader, Book(in instrument), in instrument);
            }

            generator.Fill(snapshot);
        }
    }

    [VectorBookTheory]
    [InlineData(11)]
    public void BooksOfRandomShapesInARow_AreEachReadAsTheirValues(int seed)
    {
        // Every value of its own random width, so nearly every book (and often asks against bids) changes the shape.
        var random = new Random(seed);
        int[] widths = [0x7F, 0xFF, 0xFFFF, int.MaxValue];
        var reader = new MessagePackBookVectorReader();
        for (int book = 0; book < 2_000; book++)
        {
            InstrumentSnapshot instrument = TestSnapshots.RandomWidthBook(random, widths);
            AssertTaken(ref reader, Book(in instrument), in instrument);
        }
    }

    public static TheoryData<string, byte[]> OffTheShape
    {
        get
        {
            byte[] level = [0x92, 0x01, 0x02];
            byte[] side = [0x95, .. level, .. level, .. level, .. level, .. level];
            byte[] WithBids(byte[] bids) => [.. bids, .. side];
            byte[] WithFirstLevel(params byte[] first) => WithBids([0x95, .. first, .. level, .. level, .. level, .. level]);
            return new TheoryData<string, byte[]>
            {
                { "a negative fixint", WithFirstLevel(0x92, 0xFF, 0x02) },
                { "an int 8", WithFirstLevel(0x92, 0xD0, 0x85, 0x02) },
                { "an int 32, positive", WithFirstLevel(0x92, 0xD2, 0x00, 0x00, 0x00, 0x05, 0x02) },
                { "a uint 64", WithFirstLevel(0x92, 0xCF, 0, 0, 0, 0, 0, 0, 0, 5, 0x02) },
                { "a uint 32 above int.MaxValue", WithFirstLevel(0x92, 0xCE, 0x80, 0x00, 0x00, 0x00, 0x02) },
                { "a uint 32 above int.MaxValue in asks", [.. side, 0x95, 0x92, 0x01, 0xCE, 0xFF, 0xFF, 0xFF, 0xFF, .. level, .. level, .. level, .. level] },
                { "a nil", WithFirstLevel(0x92, 0xC0, 0x02) },
                { "a float 32", WithFirstLevel(0x92, 0xCA, 0x3F, 0x80, 0x00, 0x00, 0x02) },
                { "a level of three values", WithFirstLevel(0x93, 0x01, 0x02, 0x03) },
                { "a level of one value", WithFirstLevel(0x91, 0x01) },
                { "a level as an array 16", WithFirstLevel(0xDC, 0x00, 0x02, 0x01, 0x02) },
                { "four levels", WithBids([0x94, .. level, .. level, .. level, .. level]) },
                { "six levels", WithBids([0x96, .. level, .. level, .. level, .. level, .. level, .. level]) },
                { "a side as an array 16", WithBids([0xDC, 0x00, 0x05, .. level, .. level, .. level, .. level, .. level]) },
                { "a map for asks", [.. side, 0x85, .. level, .. level, .. level, .. level, .. level] },
            };
        }
    }

    [VectorBookTheory]
    [MemberData(nameof(OffTheShape))]
    public void BooksOffTheShape_AreDeclined_AndTheShapeKnownIsKept(string what, byte[] book)
    {
        var instrument = new InstrumentSnapshot();
        for (int level = 0; level < OrderBookLevels.Count; level++)
        {
            instrument.Bids[level] = new PriceLevel(1, 2);
            instrument.Asks[level] = new PriceLevel(1, 2);
        }

        // Declined by a reader that knows no shape, and by one that knows the shape of a book of 1s and 2s.
        var reader = new MessagePackBookVectorReader();
        var untouched = new BookCapture();
        Assert.True(reader.TryRead(ref Padded(book)[0], ref untouched) == 0, what);
        AssertTaken(ref reader, Book(in instrument), in instrument);
        Assert.True(reader.TryRead(ref Padded(book)[0], ref untouched) == 0, what);
        Assert.False(untouched.Added, what);
        AssertTaken(ref reader, Book(in instrument), in instrument);
    }

    [VectorBookTheory]
    [InlineData(new byte[] { 0xCC, 0x05 })]
    [InlineData(new byte[] { 0xCD, 0x00, 0x05 })]
    [InlineData(new byte[] { 0xCE, 0x00, 0x00, 0x00, 0x05 })]
    public void AValueInAWiderForm_IsTakenAsItsValue(byte[] five)
    {
        byte[] level = [0x92, 0x01, 0x02];
        byte[] book = [0x95, 0x92, .. five, 0x02, .. level, .. level, .. level, .. level, 0x95, .. level, .. level, .. level, .. level, 0x92, 0x01, .. five];
        var expected = new InstrumentSnapshot();
        for (int index = 0; index < OrderBookLevels.Count; index++)
        {
            expected.Bids[index] = new PriceLevel(index == 0 ? 5 : 1, 2);
            expected.Asks[index] = new PriceLevel(1, index == OrderBookLevels.Count - 1 ? 5 : 2);
        }

        var reader = new MessagePackBookVectorReader();
        AssertTaken(ref reader, book, in expected);
    }

    [VectorBookTheory]
    [InlineData(5)]
    public void MutatedBooks_TheVectorReaderTakesOnlyWhatTheCheckingPrimitivesReadTheSame(int seed)
    {
        var random = new Random(seed);
        MarketSnapshot snapshot = new SnapshotGenerator((ulong)seed).Generate(16);
        int taken = 0;
        int declined = 0;
        for (int iteration = 0; iteration < Mutations; iteration++)
        {
            byte[] book = Book(in snapshot.Instruments[random.Next(snapshot.InstrumentCount)]);
            byte[] window = Padded(book);
            Mutate(random, window, book.Length);
            // Half the time the reader has just read the book unmutated: the mutation then meets the shape it knows.
            var reader = new MessagePackBookVectorReader();
            if (random.Next(2) == 0)
            {
                var unmutated = new BookCapture();
                Assert.Equal(book.Length, reader.TryRead(ref Padded(book)[0], ref unmutated));
            }

            var captured = new BookCapture();
            int length = reader.TryRead(ref window[0], ref captured);
            Assert.Equal(length != 0, captured.Added);
            if (length == 0)
            {
                declined++;
                continue;
            }

            taken++;
            (int checkedLength, InstrumentSnapshot reference) = ReadChecked(window);
            InstrumentSnapshot vector = captured.Book;
            Assert.True(checkedLength == length && reference == vector,
                $"iteration {iteration}: vector {length} bytes {vector}, checking {checkedLength} bytes {reference}, for {Convert.ToHexString(window, 0, book.Length + 1)}");
        }

        Assert.True(taken > Mutations / 20, $"only {taken} mutations were taken");
        Assert.True(declined > Mutations / 4, $"only {declined} mutations were declined");
    }

    private static void AssertTaken(ref MessagePackBookVectorReader reader, byte[] book, in InstrumentSnapshot expected)
    {
        byte[] window = Padded(book);
        var captured = new BookCapture();
        Assert.Equal(book.Length, reader.TryRead(ref window[0], ref captured));
        InstrumentSnapshot read = captured.Book;
        for (int level = 0; level < OrderBookLevels.Count; level++)
        {
            Assert.Equal(expected.Bids[level], read.Bids[level]);
            Assert.Equal(expected.Asks[level], read.Asks[level]);
        }

        (int checkedLength, InstrumentSnapshot reference) = ReadChecked(window);
        Assert.Equal(book.Length, checkedLength);
        Assert.Equal(reference, read);
    }

    /// <summary>The book a reader hands over, checked to be in <see cref="ISnapshotValueSink.AddBook"/>'s form.</summary>
    private struct BookCapture : ISnapshotValueSink
    {
        public InstrumentSnapshot Book;
        public bool Added;

        public readonly void Add(long value) => throw new InvalidOperationException("the book reader adds books only");

        public void AddBook(Vector512<int> bids, Vector512<int> asks)
        {
            Assert.False(Added, "a book was added twice");
            for (int lane = 2 * OrderBookLevels.Count; lane < Vector512<int>.Count; lane++)
            {
                Assert.Equal(0, bids.GetElement(lane));
                Assert.Equal(0, asks.GetElement(lane));
            }

            OrderBookVectors.Store(bids, asks, ref Book);
            Added = true;
        }
    }

    /// <summary>The book as the checking primitives read it: two arrays of five arrays of two int32s, or length 0.</summary>
    private static (int Length, InstrumentSnapshot Book) ReadChecked(byte[] window)
    {
        var reader = new MessagePackSpanReader(window);
        var instrument = new InstrumentSnapshot();
        return ReadSide(ref reader, ref instrument.Bids) && ReadSide(ref reader, ref instrument.Asks) ? (reader.Position, instrument) : (0, instrument);
    }

    private static bool ReadSide(ref MessagePackSpanReader reader, ref OrderBookLevels side)
    {
        if (!reader.TryReadArrayHeader(out int levels) || levels != OrderBookLevels.Count)
        {
            return false;
        }

        for (int level = 0; level < OrderBookLevels.Count; level++)
        {
            if (!reader.TryReadArrayHeader(out int fields) || fields != 2
                || !reader.TryReadInt32(out int price) || !reader.TryReadInt32(out int quantity))
            {
                return false;
            }

            side[level] = new PriceLevel(price, quantity);
        }

        return true;
    }

    /// <summary>Both sides as the writers emit them (smallest encoding per value).</summary>
    private static byte[] Book(in InstrumentSnapshot instrument)
    {
        byte[] buffer = new byte[2 * MessagePackBookVectorReader.LongestSide];
        var writer = new MessagePackSpanWriter(buffer);
        WriteSide(ref writer, in instrument.Bids);
        WriteSide(ref writer, in instrument.Asks);
        return buffer[..writer.Position];
    }

    private static void WriteSide(ref MessagePackSpanWriter writer, in OrderBookLevels side)
    {
        writer.WriteArrayHeader(OrderBookLevels.Count);
        for (int level = 0; level < OrderBookLevels.Count; level++)
        {
            writer.WriteArrayHeader(2);
            writer.Write(side[level].Price);
            writer.Write(side[level].Quantity);
        }
    }

    private static byte[] Padded(byte[] book)
    {
        byte[] window = new byte[book.Length + Padding];
        book.CopyTo(window, 0);
        window.AsSpan(book.Length).Fill(0xC1); // "never used": no shape has it
        return window;
    }

    /// <summary>One byte of the book (or the one after it) set to a random or a boundary value.</summary>
    private static void Mutate(Random random, byte[] window, int bookLength)
    {
        byte[] interesting = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0xCC, 0xCD, 0xCE, 0xCF, 0xD0, 0xD2, 0xC0, 0xE0];
        int at = random.Next(bookLength + 1);
        window[at] = random.Next(2) == 0 ? (byte)random.Next(256) : interesting[random.Next(interesting.Length)];
    }
}
