using System.Diagnostics.Metrics;

namespace ShmIpc.ShmRing;

/// <summary>
/// The Meter "ShmIpc.Ring" (watch it with <c>dotnet-counters monitor -n PROCESS --counters ShmIpc.Ring</c>).
/// Producers and consumers count in plain fields on their own thread; the instruments are observable, so the hot path
/// pays one increment and the meter reads the fields only when a listener collects.
/// </summary>
public static class RingMetrics
{
    /// <summary>The name of the Meter the rings report to.</summary>
    public const string MeterName = "ShmIpc.Ring";

    private static readonly Meter RingMeter = new(MeterName);
    private static readonly List<IRingCounterSource> Sources = [];

    // The meter keeps its instruments; they are created once, when the first producer or consumer registers.
    static RingMetrics()
    {
        RingMeter.CreateObservableCounter("shmipc.ring.messages", () => Observe(c => c.Messages), "{message}", "Records committed (producer) or released (consumer)");
        RingMeter.CreateObservableCounter("shmipc.ring.bytes", () => Observe(c => c.Bytes), "By", "Payload bytes committed or released");
        RingMeter.CreateObservableCounter("shmipc.ring.full_events", () => Observe(c => c.FullEvents), "{event}", "Times a producer found the ring full");
        RingMeter.CreateObservableCounter("shmipc.ring.skipped_records", () => Observe(c => c.SkippedRecords), "{record}", "Claims of dead producers skipped by the consumer");
        RingMeter.CreateObservableCounter("shmipc.ring.peer_gone_events", () => Observe(c => c.PeerGoneEvents), "{event}", "Waits ended because the peer exited or died");
    }

    internal static void Register(IRingCounterSource source)
    {
        lock (Sources)
        {
            Sources.Add(source);
        }
    }

    internal static void Unregister(IRingCounterSource source)
    {
        lock (Sources)
        {
            Sources.Remove(source);
        }
    }

    private static List<Measurement<long>> Observe(Func<RingCounters, long> select)
    {
        lock (Sources)
        {
            var measurements = new List<Measurement<long>>(Sources.Count);
            foreach (IRingCounterSource source in Sources)
            {
                measurements.Add(new Measurement<long>(
                    select(source.Counters),
                    new KeyValuePair<string, object?>("ring", source.Name),
                    new KeyValuePair<string, object?>("role", source.Role)));
            }

            return measurements;
        }
    }
}
