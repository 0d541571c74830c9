using System.Runtime.Intrinsics;
using ShmIpc.Codecs.Protobuf;

namespace ShmIpc.Codecs.Tests.Protobuf;

/// <summary>
/// <see cref="ProtobufBookVectorReader"/> against the field-by-field path
/// (<see cref="ProtobufCanonicalReader.TryReadBookByField"/>) and a plain decoder here: it must take every book the
/// writers emit (so the receiver's read is the fast one), decline what it is not made for, and read whatever it takes
/// as the field-by-field path does.
/// </summary>
public sealed class ProtobufBookVectorReaderTests
{
    private const int Mutations = 50_000;

    // Room past a book for both sides' 64-byte loads, filled with continuation bytes (no 0 padding to lean on).
    private const int Padding = ProtobufBookVectorReader.MaxReach;

    public static TheoryData<int> Boundaries => [0, 1, 127, 128, (1 << 14) - 1, 1 << 14, (1 << 21) - 1, 1 << 21, (1 << 28) - 1];

    [VectorBookTheory]
    [MemberData(nameof(Boundaries))]
    public void ValuesUpToFourBytes_AreTaken(int value)
    {
        var instrument = new InstrumentSnapshot();
        for (int level = 0; level < OrderBookLevels.Count; level++)
        {
            instrument.Bids[level] = new PriceLevel(value, level);
            instrument.Asks[level] = new PriceLevel(level + 1, value);
        }

        AssertTaken(Book(in instrument), in instrument);
    }

    [VectorBookTheory]
    [InlineData(7)]
    [InlineData(20261207)]
    public void EveryBookTheGeneratorMakes_IsTaken(int seed)
    {
        MarketSnapshot snapshot = new SnapshotGenerator((ulong)seed).Generate(128);
        foreach (ref readonly InstrumentSnapshot instrument in snapshot.Instruments)
        {
            AssertTaken(Book(in instrument), in instrument);
        }
    }

    public static TheoryData<string, byte[]> OffTheShape
    {
        get
        {
            int[] five = [1, 2, 3, 4, 5];
            byte[] quantities = Packed(7, five);
            byte[] asks = [.. Packed(8, five), .. Packed(9, five)];
            return new TheoryData<string, byte[]>
            {
                { "a value of five bytes", [.. Packed(6, [1, 2, 1 << 28, 4, 5]), .. quantities, .. asks] },
                { "a negative value", [.. Packed(6, [1, 2, -3, 4, 5]), .. quantities, .. asks] },
                { "four values", [.. Packed(6, [1, 2, 3, 4]), .. quantities, .. asks] },
                { "six values", [.. Packed(6, [1, 2, 3, 4, 5, 6]), .. quantities, .. asks] },
                { "the fields swapped", [.. quantities, .. Packed(6, five), .. asks] },
                { "an ask field swapped", [.. Packed(6, five), .. quantities, .. Packed(9, five), .. Packed(8, five)] },
                { "a value unpacked", [.. new WireBytes().Int32(6, 1).ToArray(), .. Packed(6, [2, 3, 4, 5]), .. quantities, .. asks] },
                { "a length in two bytes", [0x32, 0x85, 0x00, 1, 2, 3, 4, 5, .. quantities, .. asks] },
                { "a tag in two bytes", [0xB2, 0x00, 5, 1, 2, 3, 4, 5, .. quantities, .. asks] },
                { "a value in a longer form of five bytes", [0x32, 9, 1, 2, 0x83, 0x80, 0x80, 0x80, 0x00, 4, 5, .. quantities, .. asks] },
                { "a length one short", [0x32, 4, 1, 2, 3, 4, 5, .. quantities, .. asks] },
                { "a length one long", [0x32, 6, 1, 2, 3, 4, 5, .. quantities, .. asks] },
                // Thirteen varints in asks' load (0xF7 0x00 one, the padding none), its quantities' length 0xF7 the
                // difference of the (zero) fourteenth end and its own: only the missing fourteenth end declines it.
                { "thirteen varints in a side", [.. Packed(6, five), .. quantities, .. Packed(8, five), 0x4A, 0xF7, 0x00, 1, 2, 3, 4] },
            };
        }
    }

    [VectorBookTheory]
    [MemberData(nameof(OffTheShape))]
    public void BooksOffTheShape_AreDeclined(string what, byte[] book)
    {
        byte[] window = Padded(book);
        Assert.True(TryRead(window, out _) == 0, what);
    }

    [VectorBookTheory]
    [InlineData(2)]
    [InlineData(4)]
    public void AValueInALongerFormOfUpToFourBytes_IsTakenAsItsValue(int bytes)
    {
        var value = new WireBytes().Varint(3, bytes).ToArray();
        byte[] prices = [0x32, (byte)(4 + bytes), 1, 2, .. value, 4, 5];
        byte[] book = [.. prices, .. Packed(7, [6, 7, 8, 9, 10]), .. Packed(8, [1, 2, 3, 4, 5]), .. Packed(9, [6, 7, 8, 9, 10])];
        var expected = new InstrumentSnapshot();
        for (int level = 0; level < OrderBookLevels.Count; level++)
        {
            expected.Bids[level] = new PriceLevel(level + 1, level + 6);
            expected.Asks[level] = new PriceLevel(level + 1, level + 6);
        }

        AssertTaken(book, in expected);
    }

    [VectorBookTheory]
    [InlineData(5)]
    public void MutatedBooks_TheVectorReaderTakesOnlyWhatTheFieldByFieldPathReadsTheSame(int seed)
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
            int length = TryRead(window, out InstrumentSnapshot vector);
            if (length == 0)
            {
                declined++;
                continue;
            }

            taken++;
            var byField = new InstrumentSnapshot();
            int fieldLength = ProtobufCanonicalReader.TryReadBookByField(ref window[0], ref byField);
            Assert.True(fieldLength == length && byField == vector,
                $"iteration {iteration}: vector {length} bytes {vector}, field by field {fieldLength} bytes {byField}, for {Convert.ToHexString(window, 0, book.Length + 1)}");
        }

        Assert.True(taken > Mutations / 20, $"only {taken} mutations were taken");
        Assert.True(declined > Mutations / 4, $"only {declined} mutations were declined");
    }

    private static void AssertTaken(byte[] book, in InstrumentSnapshot expected)
    {
        byte[] window = Padded(book);
        Assert.Equal(book.Length, TryRead(window, out InstrumentSnapshot read));
        for (int level = 0; level < OrderBookLevels.Count; level++)
        {
            Assert.Equal(expected.Bids[level], read.Bids[level]);
            Assert.Equal(expected.Asks[level], read.Asks[level]);
        }

        var byField = new InstrumentSnapshot();
        Assert.Equal(book.Length, ProtobufCanonicalReader.TryReadBookByField(ref window[0], ref byField));
        Assert.Equal(read, byField);
    }

    /// <summary>The vector reader's book from the start of <paramref name="window"/>, stored as the model's (empty if declined).</summary>
    private static int TryRead(byte[] window, out InstrumentSnapshot instrument)
    {
        instrument = new InstrumentSnapshot();
        int length = ProtobufBookVectorReader.TryRead(ref window[0], out Vector512<int> bids, out Vector512<int> asks);
        if (length != 0)
        {
            OrderBookVectors.Store(bids, asks, ref instrument);
        }

        return length;
    }

    /// <summary>The four packed level fields as the writers emit them.</summary>
    private static byte[] Book(in InstrumentSnapshot instrument) => new WireBytes().Book(in instrument).ToArray();

    private static byte[] Packed(int field, int[] values)
    {
        var data = new WireBytes();
        foreach (int value in values)
        {
            data.Varint((ulong)(long)value);
        }

        return new WireBytes().LengthDelimited(field, data.ToArray()).ToArray();
    }

    private static byte[] Padded(byte[] book)
    {
        byte[] window = new byte[book.Length + Padding];
        book.CopyTo(window, 0);
        window.AsSpan(book.Length).Fill(0x80);
        return window;
    }

    /// <summary>One byte of the book (or the one after it) set to a random or a boundary value.</summary>
    private static void Mutate(Random random, byte[] window, int bookLength)
    {
        byte[] interesting = [0x00, 0x01, 0x04, 0x05, 0x06, 0x7F, 0x80, 0xFF, 0x32, 0x3A, 0x42, 0x4A];
        int at = random.Next(bookLength + 1);
        window[at] = random.Next(2) == 0 ? (byte)random.Next(256) : interesting[random.Next(interesting.Length)];
    }
}
