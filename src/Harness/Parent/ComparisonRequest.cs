using ShmIpc.Harness.Parent.Reporting;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Parent;

/// <summary>
/// What `compare` or `sweep` asked for: every transport at every payload size with the options they share,
/// repeated <see cref="Runs"/> times; the files go to <see cref="OutputDirectory"/> (null: results/TIME).
/// </summary>
internal sealed record ComparisonRequest(
    IReadOnlyList<TransportKind> Transports,
    IReadOnlyList<int> PayloadSizes,
    RunOptions Options,
    int Runs,
    ReportFormat Format,
    string? OutputDirectory)
{
    /// <summary>Attach <c>perf stat</c> to each child for the measurement window (<c>--perf</c>).</summary>
    public bool Perf { get; init; }
}
