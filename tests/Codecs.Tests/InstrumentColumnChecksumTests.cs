using System.Runtime.Intrinsics;

namespace ShmIpc.Codecs.Tests;

/// <summary>
/// <see cref="InstrumentColumnChecksum"/>'s two ways in: an instrument from memory and one as a vector book reader
/// yields it (its scalars and two side vectors) must add the same sums, whatever the values and whatever lanes 10-15 of
/// the vectors hold.
/// </summary>
public sealed class InstrumentColumnChecksumTests
{
    [VectorBookTheory]
    [InlineData(1)]
    [InlineData(128)]
    public void AnInstrumentAsVectors_AddsTheSameSumsAsFromMemory(int count)
    {
        // Every bit pattern, extremes included: the vector form must sign-extend and wrap as the column form does.
        var random = new Random(count + 31);
        var instruments = new InstrumentSnapshot[count];
        random.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(instruments.AsSpan()));
        instruments[0].Bids[0] = new PriceLevel(int.MinValue, int.MaxValue);
        instruments[0].Asks[OrderBookLevels.Count - 1] = new PriceLevel(-1, int.MinValue);

        var fromMemory = new InstrumentColumnChecksum();
        var fromVectors = new InstrumentColumnChecksum();
        foreach (ref readonly InstrumentSnapshot instrument in instruments.AsSpan())
        {
            fromMemory.Add(in instrument);
            fromVectors.Add(
                instrument.InstrumentId, instrument.LastPrice, instrument.Volume, instrument.Turnover, instrument.ExchangeTimestampNs,
                Side(in instrument.Bids, random), Side(in instrument.Asks, random));
        }

        Assert.Equal(fromMemory.Count, fromVectors.Count);
        Assert.Equal(fromMemory.Result(), fromVectors.Result());
    }

    /// <summary>A side's (price, quantity) levels in lanes 0-9, random ints in lanes 10-15 (a reader leaves them so).</summary>
    private static Vector512<int> Side(in OrderBookLevels side, Random random)
    {
        int[] lanes = new int[Vector512<int>.Count];
        for (int lane = 2 * OrderBookLevels.Count; lane < lanes.Length; lane++)
        {
            lanes[lane] = random.Next(int.MinValue, int.MaxValue);
        }

        for (int level = 0; level < OrderBookLevels.Count; level++)
        {
            lanes[2 * level] = side[level].Price;
            lanes[(2 * level) + 1] = side[level].Quantity;
        }

        return Vector512.Create(lanes);
    }
}
