using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ShmIpc.Codecs;

/// <summary>
/// <see cref="SnapshotChecksum"/> over a run of instruments, computed by columns so that no value waits for the one
/// before it: the same two sums as adding the 25 values of every instrument in order, in a fraction of the time. Over
/// values x_1..x_M the sum of sums is Σ (M − i + 1)·x_i; with M = 25n, value p of instrument t (both from 1) is
/// i = 25(t − 1) + p, weighted 25(n − t) + 26 − p. Per column p it keeps P_p, the column's sum so far, and Q_p, the
/// sum of the P_p after each instrument; at the end Σ_t (n − t)·x_{t,p} = Q_p − P_p, so the run's sum of sums is
/// Σ_p 25·Q_p + (1 − p)·P_p and its sum Σ_p P_p.
/// Lanes: the four header fields (id, last price, volume, turnover), the timestamp alone, then the 20 book integers in
/// five vectors. Integers are sign-extended to 64 bits, and all arithmetic wraps mod 2^64, as in the scalar form.
/// A running value: overlaid records (raw, FlatBuffers) go in as a span, a decoder's instruments (Protobuf) one at a
/// time as it decodes them; keep it in a local. Where the host has no 256-bit vectors it adds value by value instead
/// (<see cref="IsAccelerated"/>), with the same result: callers need not choose.
/// </summary>
internal struct InstrumentColumnChecksum
{
    private const int ValuesPerInstrument = InstrumentSnapshotLayout.ValueCount;
    private const int BookInts = 2 * OrderBookLevels.Count * 2;

    private Vector256<long> _pHead, _qHead;
    private Vector256<long> _p0, _q0, _p1, _q1, _p2, _q2, _p3, _q3, _p4, _q4;
    private long _pTime, _qTime;
    private SnapshotChecksum _oneByOne;
    private long _count;

    /// <summary>Whether this host runs the column form in vector registers (else the scalar loop is faster).</summary>
    public static bool IsAccelerated => Vector256.IsHardwareAccelerated;

    /// <summary>Adds every instrument of <paramref name="instruments"/>, in order.</summary>
    public void Add(ReadOnlySpan<InstrumentSnapshot> instruments)
    {
        // In a local over the loop: through `this` every add would be a load and a store.
        InstrumentColumnChecksum columns = this;
        foreach (ref readonly InstrumentSnapshot instrument in instruments)
        {
            columns.Add(in instrument);
        }

        this = columns;
    }

    /// <summary>Adds the next instrument's 25 values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(in InstrumentSnapshot instrument)
    {
        _count++;
        if (!IsAccelerated)
        {
            _oneByOne.Add(in instrument);
            return;
        }

        ReadOnlySpan<InstrumentSnapshot> record = new(in instrument);
        ReadOnlySpan<int> ints = MemoryMarshal.Cast<InstrumentSnapshot, int>(record);
        _pHead += Vector256.Create(instrument.InstrumentId, instrument.LastPrice, instrument.Volume, instrument.Turnover);
        _qHead += _pHead;
        _pTime += instrument.ExchangeTimestampNs;
        _qTime += _pTime;

        ReadOnlySpan<int> book = ints.Slice(InstrumentSnapshotLayout.BidsOffset / sizeof(int), BookInts);
        (Vector256<long> b0, Vector256<long> b1) = Vector256.Widen(Vector256.Create(book[..8]));
        (Vector256<long> b2, Vector256<long> b3) = Vector256.Widen(Vector256.Create(book.Slice(8, 8)));
        (Vector128<long> b4Low, Vector128<long> b4High) = Vector128.Widen(Vector128.Create(book.Slice(16, 4)));
        _p0 += b0;
        _q0 += _p0;
        _p1 += b1;
        _q1 += _p1;
        _p2 += b2;
        _q2 += _p2;
        _p3 += b3;
        _q3 += _p3;
        _p4 += Vector256.Create(b4Low, b4High);
        _q4 += _p4;
    }

    /// <summary>
    /// Adds the next instrument's 25 values as a vector book reader yields them: the five scalars, and each side's ten
    /// ints in lanes 0-9 of its vector (lanes 10-15 are not read), never stored and loaded back where the column form
    /// runs. Only where <see cref="Avx512F"/> is (every vector book reader checks for it, and more).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int instrumentId, int lastPrice, long volume, long turnover, long exchangeTimestampNs, Vector512<int> bids, Vector512<int> asks)
    {
        if (!IsAccelerated)
        {
            // Value by value (AVX-512 with the 256-bit vectors turned off): as an instrument, like every other.
            var instrument = new InstrumentSnapshot
            {
                InstrumentId = instrumentId,
                LastPrice = lastPrice,
                Volume = volume,
                Turnover = turnover,
                ExchangeTimestampNs = exchangeTimestampNs,
            };
            OrderBookVectors.Store(bids, asks, ref instrument);
            Add(in instrument);
            return;
        }

        _count++;
        _pHead += Vector256.Create(instrumentId, lastPrice, volume, turnover);
        _qHead += _pHead;
        _pTime += exchangeTimestampNs;
        _qTime += _pTime;

        // The book's ints in order, as they lie in an instrument: 0-15, then 16-19.
        Vector512<int> first16 = OrderBookVectors.First16(bids, asks);
        Vector512<long> b01 = Vector512.WidenLower(first16);
        Vector512<long> b23 = Vector512.WidenUpper(first16);
        _p0 += b01.GetLower();
        _q0 += _p0;
        _p1 += b01.GetUpper();
        _q1 += _p1;
        _p2 += b23.GetLower();
        _q2 += _p2;
        _p3 += b23.GetUpper();
        _q3 += _p3;
        _p4 += Vector256.WidenLower(OrderBookVectors.Last4(asks).ToVector256Unsafe());
        _q4 += _p4;
    }

    /// <summary>How many instruments were added.</summary>
    public readonly long Count => _count;

    /// <summary>The sum and sum of sums of everything added, as if added value by value from zero.</summary>
    public readonly (ulong Sum, ulong SumOfSums) Result()
    {
        if (!IsAccelerated)
        {
            return _oneByOne.Sums;
        }

        ulong sum = 0, sumOfSums = 0;
        int column = 1;
        Add(_pHead, _qHead, ref column, ref sum, ref sumOfSums);
        Add(_pTime, _qTime, ref column, ref sum, ref sumOfSums);
        Add(_p0, _q0, ref column, ref sum, ref sumOfSums);
        Add(_p1, _q1, ref column, ref sum, ref sumOfSums);
        Add(_p2, _q2, ref column, ref sum, ref sumOfSums);
        Add(_p3, _q3, ref column, ref sum, ref sumOfSums);
        Add(_p4, _q4, ref column, ref sum, ref sumOfSums);
        return (sum, sumOfSums);
    }

    /// <summary>Adds <see cref="ValuesPerInstrument"/> · Q + (1 − p) · P for each lane, columns numbered from <paramref name="column"/>.</summary>
    private static void Add(Vector256<long> p, Vector256<long> q, ref int column, ref ulong sum, ref ulong sumOfSums)
    {
        for (int lane = 0; lane < Vector256<long>.Count; lane++)
        {
            Add(p.GetElement(lane), q.GetElement(lane), ref column, ref sum, ref sumOfSums);
        }
    }

    private static void Add(long p, long q, ref int column, ref ulong sum, ref ulong sumOfSums)
    {
        unchecked
        {
            sum += (ulong)p;
            sumOfSums += (ValuesPerInstrument * (ulong)q) + ((ulong)(1 - column) * (ulong)p);
        }
        column++;
    }
}
