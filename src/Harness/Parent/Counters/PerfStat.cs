using System.Diagnostics;
using System.Globalization;
using ShmIpc.Harness.Parent.Reporting;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Parent.Counters;

/// <summary>
/// <c>harness compare --perf</c>: <c>perf stat</c> attached to a child process for the measurement window. It asks for
/// hardware counters (cycles, instructions, cache misses) and the software ones (task clock, context switches,
/// migrations, page faults); where the machine has no hardware counters (a VM: <c>&lt;not supported&gt;</c>) the note
/// says so and the software ones remain. Anything that goes wrong becomes a note: it never fails the run.
/// </summary>
internal static class PerfStat
{
    public const string Events = "cycles,instructions,cache-misses,task-clock,context-switches,cpu-migrations,page-faults";

    private const string HardwareMissing = "hardware counters not supported on this machine (no PMU exposed to it, as in most VMs): software counters only";

    /// <summary>Counts <paramref name="processId"/> from the window's start for <paramref name="window"/>; <paramref name="perf"/> is the executable.</summary>
    public static Task<PerfCounters> MeasureAsync(int processId, long windowStartNanoseconds, TimeSpan window, CancellationToken stopEarly, string perf = "perf") =>
        Task.Run(async () =>
        {
            MonotonicClock.SleepUntil(windowStartNanoseconds, stopEarly);
            if (stopEarly.IsCancellationRequested)
            {
                return new PerfCounters([], "interrupted before the window");
            }
            var startInfo = new ProcessStartInfo(perf) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (string argument in new[] { "stat", "-x", ",", "-e", Events, "-p", processId.ToString(CultureInfo.InvariantCulture), "--", "sleep", window.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) })
            {
                startInfo.ArgumentList.Add(argument);
            }
            try
            {
                using Process process = Process.Start(startInfo) ?? throw new InvalidOperationException("perf did not start");
                Task<string> output = process.StandardError.ReadToEndAsync(CancellationToken.None);
                using var timeout = new CancellationTokenSource(window + TimeSpan.FromSeconds(10));
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                string text = await output.ConfigureAwait(false);
                PerfCounters counters = Parse(text);
                return process.ExitCode == 0 || counters.Counters.Count > 0
                    ? counters
                    : new PerfCounters([], $"perf stat exited with {process.ExitCode}: {text.Trim()}");
            }
            catch (System.ComponentModel.Win32Exception exception)
            {
                return new PerfCounters([], $"perf not run: {exception.Message} (install linux-perf)");
            }
            catch (OperationCanceledException)
            {
                return new PerfCounters([], "perf stat did not finish in time");
            }
        }, CancellationToken.None);

    /// <summary>Reads <c>perf stat -x ,</c> lines: value, unit, event, run time, percentage, ...</summary>
    public static PerfCounters Parse(string text)
    {
        var counters = new List<PerfCounter>();
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] fields = line.Split(',');
            if (fields.Length < 3 || fields[2].Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            bool counted = double.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double value);
            if (!counted && !fields[0].StartsWith('<'))
            {
                continue;
            }
            counters.Add(new PerfCounter(fields[2], counted ? value : null, fields[1], counted ? null : fields[0].Trim('<', '>')));
        }
        bool hardwareMissing = counters.Any(counter => counter.Event is "cycles" or "instructions" && counter.Status == "not supported");
        return new PerfCounters(counters, hardwareMissing ? HardwareMissing : counters.Count == 0 ? "perf stat printed no counters: " + text.Trim() : null);
    }
}
