namespace ShmIpc.Harness.Parent.Recommendation;

/// <summary>
/// What the team choosing a transport needs (<c>harness recommend</c>): whether both ends share a host, whether both
/// are .NET, whether the schema must evolve without redeploying both ends together, the p99 they can afford (null:
/// none given) and how many consumers each message goes to.
/// </summary>
internal sealed record Constraints(bool SameHost, bool BothDotNet, bool SchemaEvolution, TimeSpan? LatencyBudget, int FanOut)
{
    /// <summary>What <c>harness compare</c> measures (one host, .NET on both ends, one schema, one consumer): the report's own recommendation.</summary>
    public static Constraints AsMeasured { get; } = new(SameHost: true, BothDotNet: true, SchemaEvolution: false, LatencyBudget: null, FanOut: 1);

    public string Describe() => string.Join(", ", new[]
    {
        SameHost ? "one host" : "different hosts",
        BothDotNet ? ".NET on both ends" : "another language on one end",
        SchemaEvolution ? "an evolving schema" : "a fixed schema",
        LatencyBudget is TimeSpan budget ? $"p99 budget {Reporting.DurationText.Of((long)budget.TotalNanoseconds)}" : "no latency budget",
        FanOut == 1 ? "one consumer" : $"fan-out {FanOut}",
    });
}
