namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>The whole of one `harness compare` (or sweep): the machine, the settings, one row per run.</summary>
internal sealed record ComparisonReport(
    MachineInfo Machine,
    ComparisonConfig Config,
    IReadOnlyList<TransportResult> Results)
{
    /// <summary>True when the run was interrupted: some rows are partial or missing.</summary>
    public bool Partial { get; init; }

    /// <summary>The host's noise floor, probed before the first row ran; null when not probed.</summary>
    public JitterProbeResult? JitterProbe { get; init; }

    /// <summary>The command line the report came from, as typed (after the executable's name).</summary>
    public string? CommandLine { get; init; }
}
