using System.CommandLine;
using System.Globalization;
using ShmIpc.Harness.Parent;
using ShmIpc.Harness.Parent.Reporting;
using Spectre.Console;

namespace ShmIpc.Harness.Cli;

/// <summary>`harness sweep`: the comparison at each payload size, printed as a matrix to find the knee.</summary>
internal static class SweepCommand
{
    public static Command Build()
    {
        var options = new HarnessOptions();
        var sizes = new Option<IReadOnlyList<int>>("--sizes")
        {
            Description = "Payload sizes, comma-separated (e.g. 1k,4k,16k,32k,64k).",
            DefaultValueFactory = _ => [1024, 4096, 16384, 32768, 65536],
            CustomParser = result =>
            {
                var parsed = new List<int>();
                string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
                foreach (string item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    if (!OptionValues.TryParseSize(item, out int bytes, out string error))
                    {
                        result.AddError("--sizes: " + error);
                        return parsed;
                    }
                    parsed.Add(bytes);
                }
                if (parsed.Count == 0)
                {
                    result.AddError("--sizes: give at least one size, e.g. 1k,16k");
                }
                return parsed;
            },
        };
        var command = new Command("sweep", "Run the comparison at each payload size and print throughput, p99 and CPU per size." + HarnessCommandLine.Examples) { sizes };
        foreach (Option option in options.ForSweep())
        {
            command.Options.Add(option);
        }
        command.SetAction((parse, cancellation) =>
            PlanExecution.RunAsync(parse, options, parse.GetValue(sizes) ?? [], WriteMatrix, cancellation));
        return command;
    }

    /// <summary>One row per transport, one column per size: MB/s, p99 µs and receiver CPU %.</summary>
    private static void WriteMatrix(IAnsiConsole console, ComparisonReport report)
    {
        List<int> sizes = report.Results.Select(row => row.PayloadBytes).Distinct().Order().ToList();
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]ShmIpc sweep[/]: MB/s · p99 µs · CPU % snd/rcv");
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
