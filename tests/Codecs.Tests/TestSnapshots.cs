namespace ShmIpc.Codecs.Tests;

/// <summary>Snapshots the tests share beyond the generator's realistic ones.</summary>
internal static class TestSnapshots
{
    /// <summary>Every boundary of every integer encoding (fixints, 8/16/32/64-bit, negatives) in every field.</summary>
    public static MarketSnapshot Extremes()
    {
        long[] longs = [0, 1, -1, 127, 128, -32, -33, 255, 256, -128, -129, 65_535, 65_536, -32_768, -32_769, uint.MaxValue, (long)uint.MaxValue + 1, int.MinValue, (long)int.MinValue - 1, long.MaxValue, long.MinValue];
        int[] ints = [0, 1, -1, 127, 128, -32, -33, 255, 256, -128, -129, 65_535, 65_536, -32_768, -32_769, int.MaxValue, int.MinValue];
        var snapshot = new MarketSnapshot(longs.Length) { Sequence = long.MaxValue, SendTimestampNs = long.MinValue };
        for (int i = 0; i < snapshot.InstrumentCount; i++)
        {
            ref InstrumentSnapshot instrument = ref snapshot.Instruments[i];
            instrument.InstrumentId = ints[i % ints.Length];
            instrument.LastPrice = ints[(i + 3) % ints.Length];
            instrument.Volume = longs[i];
            instrument.Turnover = longs[(i + 5) % longs.Length];
            instrument.ExchangeTimestampNs = longs[(i + 11) % longs.Length];
            for (int level = 0; level < OrderBookLevels.Count; level++)
            {
                instrument.Bids[level] = new PriceLevel(ints[(i + level) % ints.Length], ints[(i + level + 7) % ints.Length]);
                instrument.Asks[level] = new PriceLevel(ints[(i + level + 2) % ints.Length], ints[(i + level + 9) % ints.Length]);
            }
        }

        return snapshot;
    }

    /// <summary>
    /// A book whose every value has a random width: half the time the greatest of one of <paramref name="widths"/>
    /// (a width's boundary), else a random value below one. Books in a row rarely share a shape.
    /// </summary>
    public static InstrumentSnapshot RandomWidthBook(Random random, int[] widths)
    {
        var instrument = new InstrumentSnapshot();
        for (int level = 0; level < OrderBookLevels.Count; level++)
        {
            instrument.Bids[level] = new PriceLevel(RandomValue(), RandomValue());
            instrument.Asks[level] = new PriceLevel(RandomValue(), RandomValue());
        }

        return instrument;

        int RandomValue() => random.Next(2) == 0 ? widths[random.Next(widths.Length)] : random.Next(widths[random.Next(widths.Length)]);
    }
}
