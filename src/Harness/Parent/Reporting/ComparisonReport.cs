namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>The whole of one `harness compare` (or sweep): the machine, the settings, one row per run.</summary>
internal sealed record ComparisonReport(
    MachineInfo Machine,
    ComparisonConfig Config,
    IReadOnlyList<TransportResult> Results)
{
    /// <summary>True when the run was interrupted: some rows are partial or missing.</summary>
    public bool Partial { get; init; }
}
