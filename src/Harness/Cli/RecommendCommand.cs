using System.CommandLine;
using System.Text.Json;
using ShmIpc.Harness.Parent;
using ShmIpc.Harness.Parent.Recommendation;
using ShmIpc.Harness.Parent.Reporting;

namespace ShmIpc.Harness.Cli;

/// <summary>`harness recommend`: which transport and codec to use under the user's constraints, citing measured results (<see cref="DecisionTree"/>).</summary>
internal static class RecommendCommand
{
    public static Command Build()
    {
        var results = new Option<string?>("--results") { Description = "A results directory written by compare (it holds results.json) whose figures the advice cites." };
        var otherHost = new Option<bool>("--other-host") { Description = "The two ends run on different hosts (default: the same host)." };
        var otherLanguage = new Option<bool>("--other-language") { Description = "One end is not .NET." };
        var schemaEvolution = new Option<bool>("--schema-evolution") { Description = "The message schema must evolve without redeploying both ends together." };
        var budget = new Option<TimeSpan?>("--latency-budget")
        {
            Description = "The p99 latency you can afford (e.g. 100us, 2ms).",
            CustomParser = result =>
            {
                string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
                if (OptionValues.TryParseDuration(text, out TimeSpan value, out string error))
                {
                    return value;
                }
                result.AddError("--latency-budget: " + error);
                return null;
            },
        };
        var fanOut = new Option<int>("--fan-out") { Description = "Consumers each message goes to.", DefaultValueFactory = _ => 1 };
        var command = new Command("recommend", "Say which transport and codec to use for your constraints, and why, citing measured results.")
        {
            results, otherHost, otherLanguage, schemaEvolution, budget, fanOut,
        };
        command.SetAction(parse =>
        {
            ComparisonReport? measured = null;
            if (parse.GetValue(results) is string directory)
            {
                try
                {
                    measured = ReportRendering.Load(directory);
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or JsonException)
                {
                    Console.Error.WriteLine($"harness recommend: cannot read {Path.Combine(directory, ReportWriter.JsonFileName)}: {exception.Message}");
                    return 2;
                }
            }
            var constraints = new Constraints(!parse.GetValue(otherHost), !parse.GetValue(otherLanguage), parse.GetValue(schemaEvolution), parse.GetValue(budget), Math.Max(1, parse.GetValue(fanOut)));
            Advice advice = DecisionTree.Recommend(constraints, measured);
            Console.Out.WriteLine($"For {constraints.Describe()}: use {advice.Transport} with {advice.Codec}");
            foreach (string reason in advice.Reasons)
            {
                Console.Out.WriteLine("  - " + reason);
            }
            return 0;
        });
        return command;
    }
}
