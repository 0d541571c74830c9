using ShmIpc.Codecs.Protobuf;

namespace ShmIpc.NetTransports.Tests.Grpc;

/// <summary>
/// Deterministic Protobuf snapshots: snapshot <c>s</c> has <c>s % 128 + 1</c> instruments whose values derive from
/// <c>s</c>; <see cref="Hash"/> folds every field so a receiver can compare content without keeping messages.
/// </summary>
internal static class TestSnapshots
{
    public const int MaxInstruments = 128;

    /// <summary>Refills <paramref name="snapshot"/> (reused by the sender, as the harness does) with message <paramref name="sequence"/>.</summary>
    public static void Fill(Snapshot snapshot, long sequence)
    {
        snapshot.Sequence = sequence;
        snapshot.SendTimestampNs = sequence * 1_000 + 7;
        int count = (int)(sequence % MaxInstruments) + 1;
        while (snapshot.Instruments.Count > count)
        {
            snapshot.Instruments.RemoveAt(snapshot.Instruments.Count - 1);
        }

        while (snapshot.Instruments.Count < count)
        {
            snapshot.Instruments.Add(new Instrument());
        }

        for (int index = 0; index < count; index++)
        {
            Instrument instrument = snapshot.Instruments[index];
            int basis = (int)(sequence % 100_000) * 31 + index;
            instrument.InstrumentId = index + 1;
            instrument.LastPrice = 1_000_000 + basis;
            instrument.Volume = basis * 10L;
            instrument.Turnover = basis * 1_000_000L;
            instrument.ExchangeTimestampNs = sequence * 1_000 + index;
            instrument.BidPrices.Clear();
            instrument.BidQuantities.Clear();
            instrument.AskPrices.Clear();
            instrument.AskQuantities.Clear();
            for (int level = 0; level < 5; level++)
            {
                instrument.BidPrices.Add(1_000_000 + basis - level);
                instrument.BidQuantities.Add(100 + level + basis % 7);
                instrument.AskPrices.Add(1_000_001 + basis + level);
                instrument.AskQuantities.Add(200 + level + basis % 11);
            }
        }
    }

    public static Snapshot Create(long sequence)
    {
        var snapshot = new Snapshot();
        Fill(snapshot, sequence);
        return snapshot;
    }

    /// <summary>Whether <paramref name="snapshot"/> is the one sent for the sequence it carries.</summary>
    public static bool IsIntact(Snapshot snapshot) => Hash(snapshot) == Hash(Create(snapshot.Sequence));

    public static ulong Hash(Snapshot snapshot)
    {
        ulong hash = Fnv1a64.OffsetBasis;
        void Add(long value) => hash = Fnv1a64.Append(hash, value);
        Add(snapshot.Sequence);
        Add(snapshot.SendTimestampNs);
        Add(snapshot.Instruments.Count);
        foreach (Instrument instrument in snapshot.Instruments)
        {
            Add(instrument.InstrumentId);
            Add(instrument.LastPrice);
            Add(instrument.Volume);
            Add(instrument.Turnover);
            Add(instrument.ExchangeTimestampNs);
            foreach (var levels in new[] { instrument.BidPrices, instrument.BidQuantities, instrument.AskPrices, instrument.AskQuantities })
            {
                Add(levels.Count);
                foreach (int value in levels)
                {
                    Add(value);
                }
            }
        }

        return hash;
    }
}
