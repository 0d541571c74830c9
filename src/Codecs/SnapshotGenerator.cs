namespace ShmIpc.Codecs;

/// <summary>
/// Deterministic, realistic snapshots for tests, benchmarks and the harness: the same seed gives
/// the same sequence of snapshots on every machine and .NET version (its own SplitMix64, not
/// <see cref="Random"/>). Each <see cref="Fill"/> advances a simulated market by one tick: prices
/// random-walk on a tick grid, books are five levels deep on both sides of a 1–3 tick spread,
/// volume and turnover accumulate, exchange timestamps trail the send time by 5–50 µs.
/// Allocation-free after construction; not thread-safe.
/// </summary>
public sealed class SnapshotGenerator
{
    /// <summary>The seed every tool uses unless told otherwise, so their snapshots are the same.</summary>
    public const ulong DefaultSeed = 20261127;

    /// <summary>First instrument id; instrument k gets <c>FirstInstrumentId + k</c>.</summary>
    public const int FirstInstrumentId = 10_001;

    // Simulated clock: starts at one hour, advances ~1 ms per snapshot.
    private const long StartClockNs = 3_600_000_000_000;

    private ulong _state;
    private long _sequence;
    private long _clockNs = StartClockNs;

    /// <summary>A generator whose snapshots depend only on <paramref name="seed"/>.</summary>
    public SnapshotGenerator(ulong seed = DefaultSeed)
    {
        _state = seed;
    }

    /// <summary>A new snapshot with <paramref name="instrumentCount"/> instruments, one tick on from the last.</summary>
    public MarketSnapshot Generate(int instrumentCount)
    {
        var snapshot = new MarketSnapshot(instrumentCount);
        Fill(snapshot);
        return snapshot;
    }

    /// <summary>
    /// Advances <paramref name="snapshot"/> by one tick in place: instruments it already holds keep
    /// walking from their last price; new (zeroed) ones are initialised. Sets the next sequence and a
    /// simulated send time (the sender overwrites <see cref="MarketSnapshot.SendTimestampNs"/>).
    /// </summary>
    public void Fill(MarketSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _clockNs += 900_000 + (long)NextBelow(200_000);
        snapshot.Sequence = ++_sequence;
        snapshot.SendTimestampNs = _clockNs;

        Span<InstrumentSnapshot> instruments = snapshot.Instruments;
        for (int index = 0; index < instruments.Length; index++)
        {
            ref InstrumentSnapshot instrument = ref instruments[index];
            if (instrument.InstrumentId != FirstInstrumentId + index)
            {
                Initialise(ref instrument, index);
            }

            Tick(ref instrument);
        }
    }

    private void Initialise(ref InstrumentSnapshot instrument, int index)
    {
        instrument = default;
        instrument.InstrumentId = FirstInstrumentId + index;
        // Prices from 1.0000 to ~2,000.0000 currency units, on the instrument's tick grid.
        int price = 10_000 + (int)NextBelow(20_000_000);
        int tick = TickSize(price);
        instrument.LastPrice = price - (price % tick);
        instrument.Volume = (long)NextBelow(1_000_000);
        instrument.Turnover = instrument.Volume * instrument.LastPrice;
    }

    private void Tick(ref InstrumentSnapshot instrument)
    {
        int tick = TickSize(instrument.LastPrice);

        // Random walk of -2..+2 ticks, never below ten ticks.
        int price = instrument.LastPrice + ((int)NextBelow(5) - 2) * tick;
        price = Math.Max(price, 10 * tick);
        instrument.LastPrice = price;

        int traded = (int)NextBelow(50) * 100;
        instrument.Volume += traded;
        instrument.Turnover += (long)traded * price;
        instrument.ExchangeTimestampNs = _clockNs - 5_000 - (long)NextBelow(45_000);

        // Book: best bid 0-1 ticks under the last price, spread 1-3 ticks, levels 1-2 ticks apart.
        int bestBid = price - ((int)NextBelow(2) * tick);
        int bestAsk = bestBid + ((1 + (int)NextBelow(3)) * tick);
        int bid = bestBid;
        int ask = bestAsk;
        for (int level = 0; level < OrderBookLevels.Count; level++)
        {
            instrument.Bids[level] = new PriceLevel(bid, 100 * (1 + (int)NextBelow(500)));
            instrument.Asks[level] = new PriceLevel(ask, 100 * (1 + (int)NextBelow(500)));
            bid -= (1 + (int)NextBelow(2)) * tick;
            ask += (1 + (int)NextBelow(2)) * tick;
        }
    }

    // Tick grid (stored units of 10^-4): 0.0001 below 10.0000, 0.01 below 1,000.0000, 0.05 above.
    private static int TickSize(int price) => price < 100_000 ? 1 : price < 10_000_000 ? 100 : 500;

    // SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, fully specified.
    private ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    // Uniform in [0, bound) by multiply-shift (Lemire); the tiny bias is irrelevant for test data.
    private ulong NextBelow(uint bound) => (ulong)((UInt128)NextUInt64() * bound >> 64);
}
