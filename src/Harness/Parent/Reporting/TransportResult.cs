using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>
/// One row of the comparison: one transport at one payload size and rate. Serialised as-is into
/// results.json (camelCase), so the property names are the documented JSON field names.
/// </summary>
internal sealed record TransportResult
{
    public const string StatusOk = "ok";
    public const string StatusBehind = "behind";

    /// <summary>Kept the rate, but messages waited in a queue (from the warm-up, or one that formed): see <see cref="ScheduleVerdict"/>.</summary>
    public const string StatusBacklog = "backlog";
    public const string StatusFailed = "failed";
    public const string StatusPartial = "partial";

    /// <summary>The transport's name as users type it (<see cref="EnumNames"/>).</summary>
    public required string Transport { get; init; }

    public required string Codec { get; init; }

    public required int PayloadBytes { get; init; }

    public int InstrumentCount { get; init; }

    /// <summary>Encoded bytes per message on the wire (the codec's real size, not the nominal payload).</summary>
    public double EncodedBytes { get; init; }

    /// <summary>Null when flat out (no offered rate).</summary>
    public double? OfferedMsgPerSec { get; init; }

    /// <summary>Messages delivered per second of the measurement window, by receive time.</summary>
    public double AchievedMsgPerSec { get; init; }

    public double ThroughputMBps { get; init; }

    /// <summary>Messages the sender actually sent per second of the window: how well the schedule kept the offered rate.</summary>
    public double SenderMsgPerSec { get; init; }

    public LatencyPercentiles? LatencyNs { get; init; }

    /// <summary>User + system CPU of each process over the window, in percent of one core (200 = two cores).</summary>
    public PerSide<double>? CpuPercent { get; init; }

    /// <summary>The same, in cores.</summary>
    public PerSide<double>? CpuCores => CpuPercent is null ? null : new PerSide<double>(CpuPercent.Sender / 100, CpuPercent.Receiver / 100);

    /// <summary>
    /// The sender's time inside Send (encoding and handing over) as a percentage of the window: its
    /// process CPU also counts the open-loop schedule spinning between messages.
    /// </summary>
    public double SenderSendPathPercent { get; init; }

    public PerSide<double>? AllocatedBytesPerSec { get; init; }

    /// <summary>
    /// Bytes allocated per message: the sender's per message it sent in the window, the receiver's per message it
    /// received in the window.
    /// </summary>
    public PerSide<double>? AllocatedBytesPerMessage { get; init; }

    /// <summary>The types each side allocated most, bytes per message, from the runtime's allocation sampling (<c>--alloc-sources</c>).</summary>
    public PerSide<IReadOnlyList<AllocationSource>>? AllocationSources { get; init; }

    public PerSide<GarbageCollections>? GcCount { get; init; }

    /// <summary>Methods each side's JIT compiled inside the window (should be none: the warm-up runs every path).</summary>
    public PerSide<JitInWindow>? Jit { get; init; }

    public long Sent { get; init; }

    public long Received { get; init; }

    public long Lost { get; init; }

    /// <summary>shm-broadcast: the records the ring told this consumer it missed (lapped, lossy); it should equal <see cref="Lost"/>.</summary>
    public long RingMissed { get; init; }

    public long Duplicates { get; init; }

    public long Unsent { get; init; }

    /// <summary>Lost + duplicated + corrupt messages + transport errors.</summary>
    public long Errors { get; init; }

    /// <summary>
    /// How late the sender started a send relative to its due time (p50, ns). Latency counts from the due time, so
    /// this is part of it; a tool that stamps at the actual send (the C floor) does not see it.
    /// </summary>
    public long SendLatenessP50Ns { get; init; }

    /// <summary>How late the sender's schedule ran (p99, ns): the harness's own accuracy.</summary>
    public long SendLatenessP99Ns { get; init; }

    /// <summary>Latency by interval of the window (messages by the interval they were due in): a stall, a backlog or a drift shows here.</summary>
    public IReadOnlyList<IntervalSummary>? LatencyOverTime { get; init; }

    /// <summary>The sender's lateness against its schedule by interval of the window.</summary>
    public IReadOnlyList<IntervalSummary>? SendLatenessOverTime { get; init; }

    /// <summary>
    /// The harness's own cost per message, ns, measured in each child before its run: on the sender,
    /// stamping (clock read, lateness record); on the receiver, the whole record (clock read,
    /// exactly-once bitmap, window checks, histogram).
    /// </summary>
    public PerSide<double>? HarnessOverheadNs { get; init; }

    /// <summary>What else took CPU during the window (the hypervisor, other processes); null when it could not be sampled.</summary>
    public HostInterference? Interference { get; init; }

    /// <summary>The latency tail fitted by extreme value theory (peaks over a threshold); null when too few samples.</summary>
    public TailModel? TailModel { get; init; }

    /// <summary>What <c>perf stat</c> counted for each process over the window (<c>--perf</c>); null without it.</summary>
    public PerSide<PerfCounters>? Perf { get; init; }

    /// <summary>
    /// Every <c>DOTNET_</c> variable each child started with (tiered compilation, the shared array pool's room, inline
    /// socket completions, and any the user set); null for a row that did not run.
    /// </summary>
    public PerSide<IReadOnlyDictionary<string, string>>? RuntimeEnvironment { get; init; }

    /// <summary>What the row left on the host after its children were stopped; null when not checked.</summary>
    public LeakCheck? Leaks { get; init; }

    public required string Status { get; init; }

    /// <summary>shm-broadcast: every consumer's own row (this row is the worst one's); null for the other transports.</summary>
    public IReadOnlyList<TransportResult>? Consumers { get; init; }

    /// <summary>Why a row is not "ok".</summary>
    public string? Reason { get; init; }

    /// <summary>How many repeats the figures are the median of.</summary>
    public int Runs { get; init; } = 1;

    /// <summary>Where the .hgrm percentile distribution was written, if any.</summary>
    public string? HistogramFile { get; init; }

    /// <summary>Where the interval histograms were written as an HdrHistogram interval log (.hlog), if any.</summary>
    public string? IntervalLogFile { get; init; }
}
