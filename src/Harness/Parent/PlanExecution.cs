using System.CommandLine;
using System.Globalization;
using ShmIpc.Harness.Cli;
using ShmIpc.Harness.Parent.Orchestration;
using ShmIpc.Harness.Parent.Reporting;
using ShmIpc.Harness.Protocol;
using Spectre.Console;

namespace ShmIpc.Harness.Parent;

/// <summary>
/// What `compare` and `sweep` share: turn the options into a plan, run it with a progress display,
/// write the result files, and print the chosen format on stdout. Exit code 0 when every row is ok
/// or behind (a slow transport is a finding, not an error), 1 when any failed, 130 when interrupted.
/// </summary>
internal static class PlanExecution
{
    public static async Task<int> RunAsync(
        ParseResult parse, HarnessOptions options, IReadOnlyList<int> sizes,
        Action<IAnsiConsole, ComparisonReport> writeTable, CancellationToken cancellation)
    {
        bool quick = parse.GetValue(options.Quick);
        OptionValues.TryParsePin(parse.GetValue(options.Pin) ?? "auto", out (int Sender, int Receiver)? pin, out _);
        var planOptions = new PlanOptions(
            options.RateOf(parse),
            quick ? TimeSpan.FromSeconds(2) : parse.GetValue(options.Warmup),
            quick ? TimeSpan.FromSeconds(5) : parse.GetValue(options.Duration),
            parse.GetValue(options.Connections),
            parse.GetValue(options.Codec) ?? "raw",
            parse.GetValue(options.ShmWait) ?? "spin",
            pin,
            parse.GetValue(options.Batch),
            parse.GetValue(options.AllocationSources));
        IReadOnlyList<string> transports = parse.GetValue(options.Transports) ?? TransportNames.All;
        int runs = parse.GetValue(options.Runs);
        string format = parse.GetValue(options.Format) ?? "table";
        string outputDirectory = parse.GetValue(options.Out)
            ?? Path.Combine("results", DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));

        try
        {
            // A directory that cannot be written is found now, not after an hour of measuring.
            Directory.CreateDirectory(outputDirectory);
            string probe = Path.Combine(outputDirectory, ".write-test");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"harness: --out: cannot write to '{outputDirectory}': {exception.Message}");
            return 2;
        }

        var plan = new List<RunSettings>();
        foreach (int size in sizes.Distinct())
        {
            foreach (string transport in transports)
            {
                plan.Add(ComparisonRunner.Settings(transport, size, planOptions, plan.Count));
            }
        }

        (IReadOnlyList<TransportResult> rows, bool partial) = await RunWithProgressAsync(plan, runs, outputDirectory, liveDisplay: format == "table", cancellation).ConfigureAwait(false);
        var report = new ComparisonReport(
            MachineInfo.Current(),
            new ComparisonConfig(transports, [.. sizes.Distinct()], planOptions.MessagesPerSecond, planOptions.Warmup.TotalSeconds, planOptions.Duration.TotalSeconds,
                planOptions.Connections, planOptions.BatchBytes, planOptions.ShmCodec, planOptions.ShmWait, runs,
                pin is null ? "none" : $"{pin.Value.Sender},{pin.Value.Receiver}",
                "CLOCK_MONOTONIC (Stopwatch), ns")
            { AllocationSources = planOptions.SampleAllocationSources },
            rows)
        { Partial = partial || cancellation.IsCancellationRequested };
        ReportWriter.WriteFiles(report, outputDirectory);

        switch (format)
        {
            case "json":
                Console.Out.Write(ReportWriter.ToJson(report));
                break;
            case "csv":
                Console.Out.Write(ReportWriter.ToCsv(report));
                break;
            case "md":
                Console.Out.Write(ReportWriter.ToMarkdown(report));
                break;
            default:
                writeTable(AnsiConsole.Console, report);
                break;
        }
        Console.Error.WriteLine($"Results written to {Path.GetFullPath(outputDirectory)}");
        if (report.Partial)
        {
            return 130;
        }
        return rows.Any(row => row.Status == TransportResult.StatusFailed) ? 1 : 0;
    }

    private static async Task<(IReadOnlyList<TransportResult>, bool)> RunWithProgressAsync(
        IReadOnlyList<RunSettings> plan, int runs, string outputDirectory, bool liveDisplay, CancellationToken cancellation)
    {
        if (!liveDisplay || Console.IsErrorRedirected || Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            return await ComparisonRunner.RunAsync(plan, runs, new PlainProgress(Console.Error), outputDirectory, cancellation).ConfigureAwait(false);
        }
        (IReadOnlyList<TransportResult>, bool) outcome = default;
        // No auto-refresh: a spinner redrawn every 80 ms would run on the children's CPUs while they measure.
        await AnsiConsole.Status().AutoRefresh(false).StartAsync("starting", async context =>
        {
            outcome = await ComparisonRunner.RunAsync(plan, runs, new LiveProgress(context), outputDirectory, cancellation).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return outcome;
    }
}
