using System.Globalization;
using Spectre.Console;

namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>`harness sweep`'s console output: a matrix of every transport at every size, then the usual table.</summary>
internal static class SweepMatrix
{
    /// <summary>One row per transport, one column per size: MB/s, p99 and CPU %.</summary>
    public static void Write(IAnsiConsole console, ComparisonReport report)
    {
        List<int> sizes = report.Results.Select(row => row.PayloadBytes).Distinct().Order().ToList();
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]ShmIpc sweep[/]: MB/s · p99 · CPU % snd/rcv");
        table.AddColumn("transport");
        foreach (int size in sizes)
        {
            table.AddColumn(new TableColumn(size.ToString("N0", CultureInfo.InvariantCulture) + " B").RightAligned());
        }
        foreach (IGrouping<string, TransportResult> transport in report.Results.GroupBy(row => $"{row.Transport}/{row.Codec}"))
        {
            var cells = new List<string> { Markup.Escape(transport.Key) };
            foreach (int size in sizes)
            {
                TransportResult? row = transport.FirstOrDefault(candidate => candidate.PayloadBytes == size);
                if (row is null)
                {
                    cells.Add("—");
                    continue;
                }
                ResultCells formatted = ResultCells.Of(row);
                string text = row.Status == TransportResult.StatusFailed ? "failed" : $"{formatted.Throughput} · {formatted.P99} · {formatted.Cpu}";
                cells.Add(row.Status == TransportResult.StatusOk ? Markup.Escape(text) : $"[yellow]{Markup.Escape(text)}[/]");
            }
            table.AddRow(cells.ToArray());
        }
        console.Write(table);
        ConsoleTable.Write(console, report);
    }
}
