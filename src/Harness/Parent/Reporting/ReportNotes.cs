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
            if (row.Leaks is { Leaked: true } leaks)
            {
                string processes = leaks.ProcessesLeft.Count == 0 ? "" : $"processes still running: {string.Join(", ", leaks.ProcessesLeft)}; ";
                string segment = leaks.SegmentLeft is null ? "" : $"segment left in /dev/shm: {leaks.SegmentLeft}; ";
                notes.Add($"{name} leaked: {processes}{segment}".TrimEnd(' ', ';'));
            }
        }
        if (report.JitterProbe is JitterProbeResult probe)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"host before the run: {probe.StallsPerSecond:N0} stalls > 10 µs per second per CPU, {probe.LostPercent:0.00}% of the time lost, longest {DurationText.Of(probe.MaxStallNs)} ({probe.Threads} threads, {probe.Seconds:0.0} s)"));
        }
        return notes;
    }
}
