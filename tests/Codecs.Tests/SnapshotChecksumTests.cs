using System.Runtime.Intrinsics;

namespace ShmIpc.Codecs.Tests;

public sealed class SnapshotChecksumTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(7)]
    public void ABookAtOnce_AddsTheSameSumsAsItsTwentyValuesInOrder(int valuesBefore)
    {
        // Any int, extremes included (the weighted sums wrap as the one-by-one adds do), after any sums so far.
        var random = new Random(valuesBefore + 5);
        for (int round = 0; round < 200; round++)
        {
            var oneByOne = new SnapshotChecksum();
            for (int value = 0; value < valuesBefore; value++)
            {
                oneByOne.Add(random.NextInt64(long.MinValue, long.MaxValue));
            }

            SnapshotChecksum atOnce = oneByOne;
            int[] bids = new int[Vector512<int>.Count];
            int[] asks = new int[Vector512<int>.Count];
            for (int lane = 0; lane < 2 * OrderBookLevels.Count; lane++)
            {
                bids[lane] = round % 10 == 0 ? int.MinValue + lane : random.Next(int.MinValue, int.MaxValue);
                asks[lane] = round % 10 == 1 ? int.MaxValue - lane : random.Next(int.MinValue, int.MaxValue);
            }

            foreach (int[] side in new[] { bids, asks })
            {
                for (int lane = 0; lane < 2 * OrderBookLevels.Count; lane++)
                {
                    oneByOne.Add(side[lane]);
                }
            }

            AddBook(ref atOnce, Vector512.Create(bids), Vector512.Create(asks));
            Assert.Equal(oneByOne.Value, atOnce.Value);
        }
    }

    private static void AddBook<TSink>(ref TSink sink, Vector512<int> bids, Vector512<int> asks)
        where TSink : struct, ISnapshotValueSink => sink.AddBook(bids, asks);

    [Fact]
    public void EveryValueAndItsPosition_ChangeTheChecksum()
    {
        MarketSnapshot snapshot = new SnapshotGenerator().Generate(4);
        SnapshotDigest original = SnapshotDigest.Of(snapshot);

        // Change each of the 28 values of one instrument in turn.
        var seen = new HashSet<ulong> { original.Checksum };
        for (int value = 0; value < InstrumentSnapshotLayout.ValueCount; value++)
        {
            MarketSnapshot changed = snapshot.Clone();
            Span<int> words = System.Runtime.InteropServices.MemoryMarshal.Cast<InstrumentSnapshot, int>(changed.Instruments.Slice(2, 1));
            // Values are 4 or 8 bytes; flipping a low bit of each 4-byte word reaches every value.
            words[WordIndexOfValue(value)] ^= 1;
            Assert.True(seen.Add(SnapshotDigest.Of(changed).Checksum), $"value {value} did not change the checksum uniquely");
        }

        // Swapping two instruments changes it too (order-sensitive).
        MarketSnapshot swapped = snapshot.Clone();
        (swapped.Instruments[0], swapped.Instruments[1]) = (swapped.Instruments[1], swapped.Instruments[0]);
        Assert.NotEqual(original.Checksum, SnapshotDigest.Of(swapped).Checksum);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(128)]
    [InlineData(MarketSnapshot.MaxInstrumentCount)]
    public void ARunOfInstruments_AddsTheSameSumsAsEveryValueInOrder(int count)
    {
        // Every bit pattern, extremes included: the column form must wrap and sign-extend exactly as the scalar one.
        var random = new Random(count + 17);
        var instruments = new InstrumentSnapshot[count];
        Span<byte> bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(instruments.AsSpan());
        random.NextBytes(bytes);
        if (count > 1)
        {
            Span<int> words = System.Runtime.InteropServices.MemoryMarshal.Cast<InstrumentSnapshot, int>(instruments.AsSpan(0, 2));
            words[..28].Fill(int.MinValue);
            words[28..].Fill(-1);
        }

        var byColumns = new SnapshotChecksum();
        var oneByOne = new SnapshotChecksum();
        byColumns.AddHeader(42, -7, count);
        oneByOne.AddHeader(42, -7, count);
        byColumns.Add(instruments);
        oneByOne.AddOneByOne(instruments);
        Assert.Equal(oneByOne.Value, byColumns.Value);

        // And the state after it carries on the same: a value added next sees the same sums.
        byColumns.Add(long.MinValue);
        oneByOne.Add(long.MinValue);
        Assert.Equal(oneByOne.Value, byColumns.Value);
    }

    // Word index of value k in the record: id, last price (4 bytes), volume, turnover, timestamp (8), then 20 ints.
    private static int WordIndexOfValue(int value) => value switch
    {
        0 => 0,
        1 => 1,
        2 => 2,
        3 => 4,
        4 => 6,
        _ => 8 + (value - 5),
    };
}
