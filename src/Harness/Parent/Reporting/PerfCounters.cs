namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>
/// What <c>perf stat</c> counted for one process over the measurement window (<c>--perf</c>), and a note when part or
/// all of it could not be counted (no perf, no permission, no hardware counters in this VM).
/// </summary>
internal sealed record PerfCounters(IReadOnlyList<PerfCounter> Counters, string? Note)
{
    public double? Value(string name) => Counters.FirstOrDefault(counter => counter.Event == name)?.Value;

    /// <summary>Instructions per cycle, when the machine exposes both.</summary>
    public double? InstructionsPerCycle => Value("instructions") is double instructions && Value("cycles") is double cycles and > 0 ? instructions / cycles : null;
}
