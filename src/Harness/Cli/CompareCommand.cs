using System.CommandLine;
using ShmIpc.Harness.Parent;
using ShmIpc.Harness.Parent.Reporting;

namespace ShmIpc.Harness.Cli;

/// <summary>`harness compare`: every chosen transport at one payload size and rate, one table.</summary>
internal static class CompareCommand
{
    public static Command Build()
    {
        var options = new HarnessOptions();
        var command = new Command("compare", "Run each transport in turn (sender and receiver as separate processes) and print one table." + HarnessCommandLine.Examples);
        foreach (Option option in options.ForCompare())
        {
            command.Options.Add(option);
        }
        command.SetAction((parse, cancellation) =>
            PlanExecution.RunAsync(options.ReadComparison(parse, [parse.GetValue(options.Payload)]), ConsoleTable.Write, cancellation));
        return command;
    }
}
