using System.Globalization;

namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>
/// The sentences under the table (terminal, Markdown and HTML share them): why a row is not ok, which rows were
/// measured on a noisy host and how noisy, and the host's noise floor before the run.
/// </summary>
internal static class ReportNotes
{
    public static IReadOnlyList<string> Of(ComparisonReport report)
    {
        var notes = new List<string>();
        foreach (TransportResult row in report.Results)
        {
            string name = string.Create(CultureInfo.InvariantCulture, $"{row.Transport}/{row.Codec} {row.PayloadBytes} B");
            if (row.Reason is not null)
            {
                notes.Add($"{name} {row.Status}: {row.Reason}");
            }
            if (row.Interference is { Noisy: true } noisy)
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{name} noisy: other work took {noisy.TotalPercent:0.0}% of a core during its window (other processes {noisy.OtherProcessesPercent:0.0}%, stolen by the hypervisor {noisy.StolenPercent:0.0}%; noisy above {HostInterference.NoisyAbovePercent:0}%): its tail measured the host too"));
            }
            if (row.Perf is not null)
            {
                double window = report.Config.DurationSeconds;
                notes.Add($"{name} perf: sender {PerfText(row.Perf.Sender, row.SenderMsgPerSec * window)}; receiver {PerfText(row.Perf.Receiver, row.AchievedMsgPerSec * window)}");
            }
            if (row.Jit is { } jit && (jit.Sender.Methods > 0 || jit.Receiver.Methods > 0))
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{name} JIT inside the window: sender {jit.Sender.Methods} methods ({jit.Sender.Milliseconds:0.0} ms), receiver {jit.Receiver.Methods} ({jit.Receiver.Milliseconds:0.0} ms): CPU taken from the measurement, code the warm-up did not run"));
            }
            if (row.Leaks is { Leaked: true } leaks)
            {
                string processes = leaks.ProcessesLeft.Count == 0 ? "" : $"processes still running: {string.Join(", ", leaks.ProcessesLeft)}; ";
                string segment = leaks.SegmentLeft is null ? "" : $"segment left in /dev/shm: {leaks.SegmentLeft}; ";
                // Each child that leaked, by role and what: "receiver: 3 sockets at the end, 0 at start".
                string children = string.Concat((leaks.Children ?? []).Where(child => child.Leaked)
                    .Select(child => $"{child.Child}: {string.Join(", ", child.Leaks)}; "));
                notes.Add($"{name} leaked: {processes}{segment}{children}".TrimEnd(' ', ';'));
            }
        }
        if (report.JitterProbe is JitterProbeResult probe)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"host before the run: {probe.StallsPerSecond:N0} stalls > 10 µs per second per CPU, {probe.LostPercent:0.00}% of the time lost, longest {DurationText.Of(probe.MaxStallNs)} ({probe.Threads} threads, {probe.Seconds:0.0} s)"));
        }
        return notes;
    }

    /// <summary>
    /// Each counted event, per message for the counts (<paramref name="messages"/>: what the process sent or received in
    /// the window), IPC when both cycles and instructions were counted, then why anything is missing.
    /// </summary>
    private static string PerfText(PerfCounters counters, double messages)
    {
        IEnumerable<string> counted = counters.Counters.Where(counter => counter.Value is not null)
            .Select(counter =>
            {
                string total = string.Create(CultureInfo.InvariantCulture, $"{counter.Event} {counter.Value:N0}");
                return counter.Unit.Length > 0 ? $"{total} {counter.Unit}"
                    : messages > 0 ? total + string.Create(CultureInfo.InvariantCulture, $" ({counter.Value / messages:0.####}/msg)")
                    : total;
            });
        if (counters.InstructionsPerCycle is double ipc)
        {
            counted = counted.Append(string.Create(CultureInfo.InvariantCulture, $"IPC {ipc:0.00}"));
        }
        string text = string.Join(", ", counted);
        return counters.Note is null ? text : text.Length == 0 ? counters.Note : $"{text} ({counters.Note})";
    }
}
