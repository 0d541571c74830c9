using System.CommandLine;
using ShmIpc.Harness.Parent;
using ShmIpc.Harness.Parent.Reporting;

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
            PlanExecution.RunAsync(options.ReadComparison(parse, parse.GetValue(sizes) ?? []), SweepMatrix.Write, cancellation));
        return command;
    }
}
