using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ShmIpc.Codecs;

/// <summary>
/// <see cref="SnapshotChecksum"/> over a run of overlaid instrument records (the raw and FlatBuffers readers), computed
/// by columns so that no value waits for the one before it: the same two sums as adding the 25 values of every
/// instrument in order, in a fraction of the time. Over values x_1..x_M the sum of sums is Σ (M − i + 1)·x_i; with
/// M = 25n, value p of instrument t (both from 1) is i = 25(t − 1) + p, weighted 25(n − t) + 26 − p. Per column p the
/// loop keeps P_p, the column's sum so far, and Q_p, the sum of the P_p after each instrument; at the end
/// Σ_t (n − t)·x_{t,p} = Q_p − P_p, so the run's sum of sums is Σ_p 25·Q_p + (1 − p)·P_p and its sum Σ_p P_p.
/// Lanes: the four header fields (id, last price, volume, turnover), the timestamp alone, then the 20 book integers in
/// five vectors. Integers are sign-extended to 64 bits, and all arithmetic wraps mod 2^64, as in the scalar form.
/// </summary>
internal static class InstrumentColumnChecksum
{
    private const int ValuesPerInstrument = InstrumentSnapshotLayout.ValueCount;
    private const int IntsPerRecord = InstrumentSnapshotLayout.Size / sizeof(int);
    private const int LongsPerRecord = InstrumentSnapshotLayout.Size / sizeof(long);
    private const int BookInts = 2 * OrderBookLevels.Count * 2;

    /// <summary>Whether this host runs the column form in vector registers (else the scalar loop is faster).</summary>
    public static bool IsAccelerated => Vector256.IsHardwareAccelerated;

    /// <summary>The run's sum and sum of sums, starting from zero.</summary>
    public static (ulong Sum, ulong SumOfSums) Of(ReadOnlySpan<InstrumentSnapshot> instruments)
    {
        ReadOnlySpan<int> ints = MemoryMarshal.Cast<InstrumentSnapshot, int>(instruments);
        ReadOnlySpan<long> longs = MemoryMarshal.Cast<InstrumentSnapshot, long>(instruments);
        Vector256<long> pHead = default, qHead = default;
        Vector256<long> p0 = default, q0 = default, p1 = default, q1 = default, p2 = default, q2 = default;
        Vector256<long> p3 = default, q3 = default, p4 = default, q4 = default;
        long pTime = 0, qTime = 0;
        for (int t = 0; t < instruments.Length; t++)
        {
            int i = t * IntsPerRecord;
            int l = t * LongsPerRecord;
            pHead += Vector256.Create(ints[i], ints[i + 1], longs[l + 1], longs[l + 2]);
            qHead += pHead;
            pTime += longs[l + 3];
            qTime += pTime;

            ReadOnlySpan<int> book = ints.Slice(i + (InstrumentSnapshotLayout.BidsOffset / sizeof(int)), BookInts);
            (Vector256<long> b0, Vector256<long> b1) = Vector256.Widen(Vector256.Create(book[..8]));
            (Vector256<long> b2, Vector256<long> b3) = Vector256.Widen(Vector256.Create(book.Slice(8, 8)));
            (Vector128<long> b4Low, Vector128<long> b4High) = Vector128.Widen(Vector128.Create(book.Slice(16, 4)));
            p0 += b0;
            q0 += p0;
            p1 += b1;
            q1 += p1;
            p2 += b2;
            q2 += p2;
            p3 += b3;
            q3 += p3;
            p4 += Vector256.Create(b4Low, b4High);
            q4 += p4;
        }

        ulong sum = 0, sumOfSums = 0;
        int column = 1;
        Add(pHead, qHead, ref column, ref sum, ref sumOfSums);
        Add(pTime, qTime, ref column, ref sum, ref sumOfSums);
        Add(p0, q0, ref column, ref sum, ref sumOfSums);
        Add(p1, q1, ref column, ref sum, ref sumOfSums);
        Add(p2, q2, ref column, ref sum, ref sumOfSums);
        Add(p3, q3, ref column, ref sum, ref sumOfSums);
        Add(p4, q4, ref column, ref sum, ref sumOfSums);
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
