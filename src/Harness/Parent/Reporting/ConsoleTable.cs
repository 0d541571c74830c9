using Spectre.Console;

namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>The comparison as a console table, one row per transport, like the seed article's.</summary>
internal static class ConsoleTable
{
    public static void Write(IAnsiConsole console, ComparisonReport report)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]ShmIpc compare[/] (latency from intended send time, µs)");
        string[] headers = ["transport", "codec", "bytes/msg", "offered msg/s", "achieved msg/s", "MB/s", "p50", "p90", "p99", "p99.9", "p99.99", "max", "CPU % snd (send path) / rcv", "alloc B/msg snd / rcv", "errors", "status"];
        foreach (string header in headers)
        {
            table.AddColumn(new TableColumn(header).RightAligned());
        }
        foreach (TransportResult row in report.Results)
        {
            ResultCells cells = ResultCells.Of(row);
            string status = row.Status switch
            {
                TransportResult.StatusOk => "[green]ok[/]",
                TransportResult.StatusBehind => "[yellow]behind[/]",
                TransportResult.StatusBacklog => "[yellow]backlog[/]",
                _ => "[red]" + Markup.Escape(row.Status) + "[/]",
            };
            table.AddRow(
                Markup.Escape(row.Transport), Markup.Escape(row.Codec), cells.Payload, cells.Offered, cells.Achieved, cells.Throughput,
                cells.P50, cells.P90, cells.P99, cells.P999, cells.P9999, cells.Max, cells.Cpu, cells.Allocation,
                row.Errors.ToString(System.Globalization.CultureInfo.InvariantCulture), status);
        }
        if (Console.IsOutputRedirected)
        {
            // A file or pipe has no width: do not let Spectre wrap the table at 80 columns.
            console.Profile.Width = Math.Max(console.Profile.Width, 240);
        }
        console.Write(table);
        foreach (TransportResult row in report.Results.Where(row => row.Reason is not null))
        {
            console.MarkupLine(Markup.Escape($"  {row.Transport}/{row.Codec} {row.PayloadBytes} B {row.Status}: {row.Reason}"));
        }
        foreach (TransportResult row in report.Results.Where(row => row.HarnessOverheadNs is not null))
        {
            console.MarkupLine(Markup.Escape(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"  {row.Transport}: sender kept {row.SenderMsgPerSec:N0} msg/s (schedule lateness p50 {row.SendLatenessP50Ns / 1000.0:0.0} µs, p99 {row.SendLatenessP99Ns / 1000.0:0.0} µs); harness overhead per message {row.HarnessOverheadNs!.Sender:0} ns sending, {row.HarnessOverheadNs.Receiver:0} ns receiving")));
        }
        foreach (string line in report.Results.SelectMany(AllocationSourceLines.Of))
        {
            console.MarkupLine(Markup.Escape(line));
        }
        console.MarkupLine(Markup.Escape($"{report.Machine.Cpu}, {report.Machine.LogicalCpus} CPUs, {report.Machine.Kernel}, {report.Machine.Runtime}") + (report.Partial ? " [red](partial: interrupted)[/]" : ""));
    }
}
