using System.Globalization;
using Spectre.Console;

namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>
/// The comparison as a console table that fits <see cref="MaxWidth"/> columns, one row per transport: the figures a
/// reader compares first. Every other figure is in results.json, .csv and .md (<see cref="ReportWriter"/>).
/// </summary>
internal static class ConsoleTable
{
    /// <summary>A normal terminal's width: the table never wraps in one.</summary>
    public const int MaxWidth = 120;

    public static void Write(IAnsiConsole console, ComparisonReport report)
    {
        bool severalSizes = report.Results.Select(row => row.PayloadBytes).Distinct().Count() > 1;
        var table = new Table().Border(TableBorder.Simple)
            .Title("[bold]ShmIpc compare[/]: latency from intended send time; CPU % of a core and alloc B/msg as sender/receiver");
        // One space of padding, not two: ten columns of figures fit MaxWidth with room for long names and "≥60.0 s".
        var padding = new Padding(0, 0, 1, 0);
        table.AddColumn(new TableColumn("transport/codec").Padding(padding));
        string[] headers = ["msg/s", "MB/s", "p50", "p99", "p99.9", "max", "CPU %", "alloc B/msg"];
        foreach (string header in headers)
        {
            table.AddColumn(new TableColumn(header).RightAligned().Padding(padding));
        }
        table.AddColumn(new TableColumn("status").Padding(padding));
        table.AddColumn(new TableColumn("noisy").RightAligned().Padding(padding));
        foreach (TransportResult row in report.Results)
        {
            ResultCells cells = ResultCells.Of(row);
            string name = $"{row.Transport}/{row.Codec}" + (severalSizes ? " " + SizeText(row.PayloadBytes) : "");
            table.AddRow(
                Markup.Escape(name), cells.Achieved, cells.Throughput, cells.P50, cells.P99, cells.P999, cells.Max,
                row.CpuPercent is null ? "—" : $"{Whole(row.CpuPercent.Sender)}/{Whole(row.CpuPercent.Receiver)}",
                row.AllocatedBytesPerMessage is null ? "—" : $"{Compact(row.AllocatedBytesPerMessage.Sender)}/{Compact(row.AllocatedBytesPerMessage.Receiver)}",
                StatusMarkup(row), NoisyMarkup(row.Interference));
        }
        if (Console.IsOutputRedirected)
        {
            // A file or pipe has no width: do not let Spectre wrap the table at 80 columns.
            console.Profile.Width = Math.Max(console.Profile.Width, MaxWidth);
        }
        console.Write(table);
        foreach (string note in ReportNotes.Of(report))
        {
            console.MarkupLine(Markup.Escape("  " + note));
        }
        foreach (string line in report.Results.SelectMany(AllocationSourceLines.Of))
        {
            console.MarkupLine(Markup.Escape(line));
        }
        console.MarkupLine(Markup.Escape($"{report.Machine.Cpu}, {report.Machine.LogicalCpus} CPUs, {report.Machine.Kernel}, {report.Machine.Runtime}") + (report.Partial ? " [red](partial: interrupted)[/]" : ""));
    }

    private static string StatusMarkup(TransportResult row) => row.Status switch
    {
        TransportResult.StatusOk => "[green]ok[/]",
        TransportResult.StatusBehind => "[yellow]behind[/]",
        TransportResult.StatusBacklog => "[yellow]backlog[/]",
        _ => "[red]" + Markup.Escape(row.Status) + "[/]",
    } + (row.Leaks is { Leaked: true } ? " [red]leak[/]" : "");

    /// <summary>"no", or how much of a core other work took during the window when that made the row noisy.</summary>
    private static string NoisyMarkup(HostInterference? interference) => interference switch
    {
        null => "—",
        { Noisy: true } => $"[yellow]{Whole(interference.TotalPercent)}%[/]",
        _ => "no",
    };

    private static string SizeText(int bytes) => bytes % 1024 == 0
        ? (bytes / 1024).ToString(CultureInfo.InvariantCulture) + "k"
        : bytes.ToString(CultureInfo.InvariantCulture);

    private static string Whole(double value) => value.ToString("0", CultureInfo.InvariantCulture);

    /// <summary>Three significant digits with k or M: 0, 12, 1.23k, 33.5k, 1.20M.</summary>
    public static string Compact(double value)
    {
        (double scaled, string suffix) = Math.Abs(Math.Round(value)) switch
        {
            < 1_000 => (Math.Round(value), ""),
            < 999_500 => (value / 1e3, "k"),
            _ => (value / 1e6, "M"),
        };
        string format = suffix.Length == 0 ? "0" : Math.Abs(scaled) switch { < 9.995 => "0.00", < 99.95 => "0.0", _ => "0" };
        return scaled.ToString(format, CultureInfo.InvariantCulture) + suffix;
    }
}
