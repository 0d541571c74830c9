using System.CommandLine;
using System.Text.Json;
using ShmIpc.Harness.Parent;
using ShmIpc.Harness.Parent.Reporting;
using Spectre.Console;

namespace ShmIpc.Harness.Cli;

/// <summary>`harness report DIR`: redraws the plots and report.html of a saved run from its results.json, without rerunning anything.</summary>
internal static class ReportCommand
{
    public static Command Build()
    {
        var directory = new Argument<string>("directory") { Description = "A results directory written by compare or sweep (it holds results.json)." };
        var command = new Command("report", "Redraw the plots (PNG, SVG) and report.html of a saved run from its results.json, and print its table.") { directory };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(directory)!;
            ComparisonReport report;
            try
            {
                report = ReportRendering.Load(path);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or JsonException)
            {
                Console.Error.WriteLine($"harness report: cannot read {Path.Combine(path, ReportWriter.JsonFileName)}: {exception.Message}");
                return 2;
            }
            string html = ReportRendering.Render(report, path);
            ConsoleTable.Write(AnsiConsole.Console, report);
            Console.Error.WriteLine($"Report written to {Path.GetFullPath(html)}");
            return 0;
        });
        return command;
    }
}
