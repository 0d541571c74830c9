using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ShmIpc.Codecs;

/// <summary>
/// Fletcher-style checksum over 64-bit values: <c>sum += v; sumOfSums += sum</c>. Two dependent
/// adds per value (cheap next to any decoder, so it does not hide codec differences), and
/// order-sensitive: swapping two values or moving one changes <c>sumOfSums</c>.
/// The canonical order every codec must feed: sequence, send timestamp, instrument count, then per
/// instrument: id, last price, volume, turnover, exchange timestamp, then bid (price, quantity)
/// levels 0..4, then ask (price, quantity) levels 0..4.
/// Keep it in a local (the JIT keeps both fields in registers); pass by <c>ref</c>.
/// </summary>
public struct SnapshotChecksum : ISnapshotValueSink
{
    private ulong _sum;
    private ulong _sumOfSums;

    /// <summary>The two running sums themselves, for <see cref="InstrumentColumnChecksum"/>'s value-by-value form.</summary>
    internal readonly (ulong Sum, ulong SumOfSums) Sums => (_sum, _sumOfSums);

    /// <summary>The checksum of everything added so far.</summary>
    public readonly ulong Value => (_sumOfSums * 0x9E3779B97F4A7C15UL) ^ _sum;

    /// <summary>Adds one value, in the canonical order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(long value)
    {
        _sum += (ulong)value;
        _sumOfSums += _sum;
    }

    /// <summary>
    /// Adds a book's twenty values (<see cref="ISnapshotValueSink.AddBook"/>) as if one by one, without their chain of
    /// dependent adds: each value adds the sum before the book once, and itself once for every value from it to the
    /// book's end (the first 20 times, the last once).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    void ISnapshotValueSink.AddBook(Vector512<int> bids, Vector512<int> asks)
    {
        (Vector512<long> bidsLow, Vector512<long> bidsHigh) = Vector512.Widen(bids);
        (Vector512<long> asksLow, Vector512<long> asksHigh) = Vector512.Widen(asks);
        Vector512<long> values = bidsLow + bidsHigh + asksLow + asksHigh;
        // Each value's weight, 20 down to 1 (lanes 10-15 of a side are 0): constants in the method, where the JIT always
        // folds them (a static readonly field only once its type is initialised).
        Vector512<long> weighted = (bidsLow * Vector512.Create(20L, 19, 18, 17, 16, 15, 14, 13))
            + (bidsHigh * Vector512.Create(12L, 11, 0, 0, 0, 0, 0, 0))
            + (asksLow * Vector512.Create(10L, 9, 8, 7, 6, 5, 4, 3))
            + (asksHigh * Vector512.Create(2L, 1, 0, 0, 0, 0, 0, 0));
        unchecked
        {
            _sumOfSums += ((ulong)BookValues * _sum) + (ulong)Vector512.Sum(weighted);
            _sum += (ulong)Vector512.Sum(values);
        }
    }

    private const int BookValues = 2 * 2 * OrderBookLevels.Count;

    /// <summary>Adds the header's three values: sequence, send timestamp, instrument count.</summary>
    public void AddHeader(long sequence, long sendTimestampNs, int instrumentCount)
    {
        Add(sequence);
        Add(sendTimestampNs);
        Add(instrumentCount);
    }

    /// <summary>Adds one instrument's values in the canonical order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(in InstrumentSnapshot instrument)
    {
        Add(instrument.InstrumentId);
        Add(instrument.LastPrice);
        Add(instrument.Volume);
        Add(instrument.Turnover);
        Add(instrument.ExchangeTimestampNs);
        for (int level = 0; level < OrderBookLevels.Count; level++)
        {
            Add(instrument.Bids[level].Price);
            Add(instrument.Bids[level].Quantity);
        }

        for (int level = 0; level < OrderBookLevels.Count; level++)
        {
            Add(instrument.Asks[level].Price);
            Add(instrument.Asks[level].Quantity);
        }
    }

    /// <summary>
    /// Appends <paramref name="following"/>, the checksum of <paramref name="valueCount"/> values that come after these
    /// in the canonical order, as if they had been added here one by one: for a reader that meets the header's
    /// instrument count only after the instruments.
    /// </summary>
    internal void Append(in SnapshotChecksum following, long valueCount)
    {
        unchecked
        {
            // Each following value also adds the sum so far to the sum of sums.
            _sumOfSums += following._sumOfSums + ((ulong)valueCount * _sum);
            _sum += following._sum;
        }
    }

    /// <summary>Appends the instruments <paramref name="columns"/> summed, as if their values had been added here one by one.</summary>
    internal void Append(in InstrumentColumnChecksum columns)
    {
        (ulong sum, ulong sumOfSums) = columns.Result();
        Append(new SnapshotChecksum { _sum = sum, _sumOfSums = sumOfSums }, columns.Count * InstrumentSnapshotLayout.ValueCount);
    }

    /// <summary>
    /// Adds every value of <paramref name="instruments"/> in order, by columns (<see cref="InstrumentColumnChecksum"/>:
    /// the same sums, without a chain of dependent adds, where the host has vector registers).
    /// </summary>
    public void Add(ReadOnlySpan<InstrumentSnapshot> instruments)
    {
        var columns = new InstrumentColumnChecksum();
        columns.Add(instruments);
        Append(in columns);
    }

    /// <summary>The scalar form, value after value, in a local (the JIT keeps both sums in registers); tests hold the column form to it.</summary>
    internal void AddOneByOne(ReadOnlySpan<InstrumentSnapshot> instruments)
    {
        SnapshotChecksum sums = this;
        foreach (ref readonly InstrumentSnapshot instrument in instruments)
        {
            sums.Add(in instrument);
        }

        this = sums;
    }
}
