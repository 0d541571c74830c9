using System.Diagnostics.Tracing;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Child.Measurement;

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
    /// The runtime hands its events to listeners from a dispatch thread, some time after they happen (seconds, on a
    /// loaded machine): ticks are counted by their own timestamps, and <see cref="Stop"/> waits until a tick stamped
    /// after the window's end has arrived (one it provokes), or this long at most.
    /// </summary>
    private static readonly TimeSpan MaximumDispatchWait = TimeSpan.FromSeconds(10);

    /// <summary>Allocated after the window to provoke one tick that shows the dispatch has passed the window's end.</summary>
    private const int MarkerBytes = 256 * 1024;

    private readonly Dictionary<string, long> _bytesByType = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly ManualResetEventSlim _tickAfterWindow = new(initialState: false);
    private DateTime _fromUtc = DateTime.MaxValue;
    private DateTime _untilUtc = DateTime.MaxValue;

    /// <summary>Counts ticks from now on (the listener is enabled when created, so enabling it costs nothing in the window).</summary>
    public void Start()
    {
        lock (_gate)
        {
            _fromUtc = DateTime.UtcNow;
        }
    }

    /// <summary>
    /// Ends the window now and returns the <paramref name="top"/> types by sampled bytes, as bytes per second over
    /// <paramref name="seconds"/>. Blocks until the window's ticks have been dispatched (call it off the measured threads).
    /// </summary>
    public IReadOnlyList<AllocationSource> Stop(double seconds, int top)
    {
        lock (_gate)
        {
            _tickAfterWindow.Reset();
            _untilUtc = DateTime.UtcNow;
        }
        ProvokeTick();
        // EventPipe hands events over oldest first across threads, so once one stamped after the window's end is here, every
        // tick of the window is too (or the wait gave up, and the figures may miss the last ones).
        _tickAfterWindow.Wait(MaximumDispatchWait);
        lock (_gate)
        {
            _fromUtc = DateTime.MaxValue; // nothing more is counted
            return [.. _bytesByType
                .OrderByDescending(pair => pair.Value)
                .ThenBy(pair => pair.Key, StringComparer.Ordinal)
                .Take(top)
                .Select(pair => new AllocationSource(pair.Key, pair.Value / Math.Max(1e-9, seconds)))];
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        _tickAfterWindow.Dispose();
        GC.SuppressFinalize(this);
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
        lock (_gate)
        {
            if (happened >= _fromUtc && happened <= _untilUtc)
            {
                _bytesByType[type] = _bytesByType.GetValueOrDefault(type) + bytes;
            }
            else if (happened > _untilUtc)
            {
                _tickAfterWindow.Set();
            }
        }
    }

    /// <summary>Allocates enough small objects, after the window, for the runtime to raise at least one tick.</summary>
    private static void ProvokeTick()
    {
        object?[] keep = new object?[MarkerBytes / 64];
        for (int index = 0; index < keep.Length; index++)
        {
            keep[index] = new byte[40]; // 64 B with the array header
        }
        GC.KeepAlive(keep);
    }
}
