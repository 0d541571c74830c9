namespace ShmIpc.Codecs.Tests;

public sealed class InstrumentSnapshotBuilderTests
{
    [Fact]
    public void ValuesInTheChecksumsOrder_BuildTheInstrument()
    {
        MarketSnapshot snapshot = TestSnapshots.Extremes();
        foreach (InstrumentSnapshot instrument in snapshot.Instruments)
        {
            long[] values = CanonicalValues(instrument);
            var builder = new InstrumentSnapshotBuilder();
            var checksum = new SnapshotChecksum();
            foreach (long value in values)
            {
                builder.Add(value);
                checksum.Add(value);
            }

            Assert.Equal(instrument, builder.Instrument);

            // The same values in the same order are what the checksum takes from the model: one canonical order.
            var fromModel = new SnapshotChecksum();
            fromModel.Add(in instrument);
            Assert.Equal(fromModel.Value, checksum.Value);
        }
    }

    [Fact]
    public void TheBookAtOnce_AfterTheScalars_BuildsTheInstrument()
    {
        foreach (InstrumentSnapshot instrument in TestSnapshots.Extremes().Instruments)
        {
            long[] values = CanonicalValues(instrument);
            var builder = new InstrumentSnapshotBuilder();
            foreach (long value in values.AsSpan(0, 5))
            {
                builder.Add(value);
            }

            int[] bids = new int[System.Runtime.Intrinsics.Vector512<int>.Count];
            int[] asks = new int[bids.Length];
            for (int index = 0; index < 2 * OrderBookLevels.Count; index++)
            {
                bids[index] = (int)values[5 + index];
                asks[index] = (int)values[5 + (2 * OrderBookLevels.Count) + index];
            }

            builder.AddBook(System.Runtime.Intrinsics.Vector512.Create(bids), System.Runtime.Intrinsics.Vector512.Create(asks));
            Assert.Equal(instrument, builder.Instrument);
        }
    }

    private static long[] CanonicalValues(InstrumentSnapshot instrument)
    {
        var values = new List<long> { instrument.InstrumentId, instrument.LastPrice, instrument.Volume, instrument.Turnover, instrument.ExchangeTimestampNs };
        for (int level = 0; level < OrderBookLevels.Count; level++)
        {
            values.Add(instrument.Bids[level].Price);
            values.Add(instrument.Bids[level].Quantity);
        }

        for (int level = 0; level < OrderBookLevels.Count; level++)
        {
            values.Add(instrument.Asks[level].Price);
            values.Add(instrument.Asks[level].Quantity);
        }

        Assert.Equal(InstrumentSnapshotLayout.ValueCount, values.Count);
        return [.. values];
    }
}
