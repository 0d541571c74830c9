using System.Diagnostics.Tracing;

namespace ShmIpc.Harness.Measurement;

/// <summary>
/// Which types a process allocates, from the runtime's own allocation sampling: with the GC keyword at verbose level
/// the runtime raises GCAllocationTick each time about 100 KB has been allocated, naming the type of the object that
/// crossed the mark and the bytes since the last tick. Summed per type over many ticks that is an unbiased estimate
/// of where the bytes go (not an exact count: a type that allocates little may not be sampled at all).
/// Opt in only (<c>--alloc-sources</c>): the listener costs a callback per 100 KB and its own event objects.
/// </summary>
internal sealed class AllocationSourceSampler : EventListener
{
    private const string RuntimeEventSource = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private const string AllocationTickEvent = "GCAllocationTick";

    /// <summary>
    /// The runtime hands its events to listeners from a dispatch thread, some time after they happen: ticks are
    /// counted by their own timestamps, and the result waits this long for the window's last ones to arrive.
    /// </summary>
    private static readonly TimeSpan DispatchDelay = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, long> bytesByType = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private DateTime fromUtc = DateTime.MaxValue;
    private DateTime untilUtc = DateTime.MaxValue;

    /// <summary>Counts ticks from now on (the listener is enabled when created, so enabling it costs nothing in the window).</summary>
    public void Start()
    {
        lock (gate)
        {
            fromUtc = DateTime.UtcNow;
        }
    }

    /// <summary>
    /// Ends the window now and returns the <paramref name="top"/> types by sampled bytes, as bytes per second over
    /// <paramref name="seconds"/>. Blocks for the dispatch delay (call it off the measured threads).
    /// </summary>
    public IReadOnlyList<AllocationSource> Stop(double seconds, int top)
    {
        lock (gate)
        {
            untilUtc = DateTime.UtcNow;
        }
        Thread.Sleep(DispatchDelay);
        lock (gate)
        {
            fromUtc = DateTime.MaxValue; // nothing more is counted
            return [.. bytesByType
                .OrderByDescending(pair => pair.Value)
                .ThenBy(pair => pair.Key, StringComparer.Ordinal)
                .Take(top)
                .Select(pair => new AllocationSource(pair.Key, pair.Value / Math.Max(1e-9, seconds)))];
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeEventSource)
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        // About once per 100 KB allocated, delivered later on the runtime's dispatch thread.
        if (eventData.EventName is null || !eventData.EventName.StartsWith(AllocationTickEvent, StringComparison.Ordinal)
            || eventData.PayloadNames is null || eventData.Payload is null)
        {
            return;
        }
        int typeIndex = eventData.PayloadNames.IndexOf("TypeName");
        int amountIndex = eventData.PayloadNames.IndexOf("AllocationAmount64");
        if (amountIndex < 0)
        {
            amountIndex = eventData.PayloadNames.IndexOf("AllocationAmount");
        }
        if (typeIndex < 0 || amountIndex < 0 || eventData.Payload[typeIndex] is not string type)
        {
            return;
        }
        long bytes = Convert.ToInt64(eventData.Payload[amountIndex], System.Globalization.CultureInfo.InvariantCulture);
        DateTime happened = eventData.TimeStamp.ToUniversalTime();
        lock (gate)
        {
            if (happened >= fromUtc && happened <= untilUtc)
            {
                bytesByType[type] = bytesByType.GetValueOrDefault(type) + bytes;
            }
        }
    }
}
