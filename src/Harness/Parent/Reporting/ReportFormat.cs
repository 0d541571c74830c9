namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>What a comparison prints on stdout (<c>--format</c>); the files are always written in every format.</summary>
internal enum ReportFormat
{
    /// <summary>A console table (and a live status line while it runs, on a terminal).</summary>
    Table,

    Json,

    Csv,

    Md,
}
