using System.Globalization;
using ShmIpc.Harness.Parent.HostLoad;
using ShmIpc.Harness.Parent.Orchestration;
using ShmIpc.Harness.Parent.Reporting;
using ShmIpc.Harness.Protocol;
using Spectre.Console;

namespace ShmIpc.Harness.Parent;

/// <summary>
/// What `compare` and `sweep` share: turn the request into a plan, run it with a progress display,
/// write the result files, and print the chosen format on stdout. Exit code 0 when every row is ok
/// or behind (a slow transport is a finding, not an error), 1 when any failed, 130 when interrupted.
/// </summary>
internal static class PlanExecution
{
    public static async Task<int> RunAsync(
        ComparisonRequest request, Action<IAnsiConsole, ComparisonReport> writeTable, CancellationToken cancellation)
    {
        RunOptions options = request.Options;
        string outputDirectory = request.OutputDirectory
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

        IReadOnlyList<RunSettings> plan = ComparisonPlan.Build(request.Transports, request.PayloadSizes, options);
        // Before any child starts, so the probe never shares the CPUs with a measurement.
        JitterProbeResult jitter = JitterProbe.Run(JitterProbe.DefaultLength);
        WindowLoadSampler.WarmUp();

        (IReadOnlyList<TransportResult> rows, bool partial) = await RunWithProgressAsync(plan, request.Runs, outputDirectory, liveDisplay: request.Format == ReportFormat.Table, request.Perf, cancellation).ConfigureAwait(false);
        var report = new ComparisonReport(
            MachineInfo.Current(),
            new ComparisonConfig(request.Transports, [.. request.PayloadSizes.Distinct()], options.MessagesPerSecond, options.Warmup.TotalSeconds, options.Duration.TotalSeconds,
                options.Connections, options.BatchBytes, RunSettings.CodecOf(TransportKind.SharedMemory, options.Codec), options.ShmWait, request.Runs,
                options.Pin is (int sender, int receiver) ? $"{sender},{receiver}" : "none",
                "CLOCK_MONOTONIC (Stopwatch), ns")
            { AllocationSources = options.SampleAllocationSources, Consumers = options.Consumers, BroadcastPolicy = options.BroadcastPolicy, ShmPretouch = options.ShmPretouch },
            rows)
        { Partial = partial || cancellation.IsCancellationRequested, JitterProbe = jitter, CommandLine = CommandLineText.OfThisProcess() };
        ReportWriter.WriteFiles(report, outputDirectory);
        try
        {
            ReportRendering.Render(report, outputDirectory);
        }
#pragma warning disable CA1031 // Plots and report.html are a view of results already written: a failure to draw them never fails the run.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Console.Error.WriteLine($"harness: plots and report.html not written: {exception.Message}");
        }

        switch (request.Format)
        {
            case ReportFormat.Json:
                Console.Out.Write(ReportWriter.ToJson(report));
                break;
            case ReportFormat.Csv:
                Console.Out.Write(ReportWriter.ToCsv(report));
                break;
            case ReportFormat.Md:
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
        IReadOnlyList<RunSettings> plan, int runs, string outputDirectory, bool liveDisplay, bool perf, CancellationToken cancellation)
    {
        if (!liveDisplay || Console.IsErrorRedirected || Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            return await ComparisonRunner.RunAsync(plan, runs, new PlainProgress(Console.Error), outputDirectory, cancellation, perf).ConfigureAwait(false);
        }
        (IReadOnlyList<TransportResult>, bool) outcome = default;
        // No auto-refresh: a spinner redrawn every 80 ms would run on the children's CPUs while they measure.
        await AnsiConsole.Status().AutoRefresh(false).StartAsync("starting", async context =>
        {
            outcome = await ComparisonRunner.RunAsync(plan, runs, new LiveProgress(context), outputDirectory, cancellation, perf).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return outcome;
    }
}
