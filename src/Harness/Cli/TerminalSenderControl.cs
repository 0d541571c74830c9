using System.Globalization;
using ShmIpc.Harness.Child.Roles;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Cli;

/// <summary>
/// `harness send` runs the sender role for a user at a terminal: the schedule starts just after the connection is
/// up, Ctrl+C stops it, and the report is printed.
/// </summary>
internal sealed class TerminalSenderControl : ISenderControl
{
    /// <summary>Between connecting and the first message: the schedule starts on time, not while the sender still warms up.</summary>
    private static readonly TimeSpan StartLead = TimeSpan.FromMilliseconds(100);

    public TerminalSenderControl(CancellationToken cancellation) => StopRequested = () => cancellation.IsCancellationRequested;

    public Func<bool> StopRequested { get; }

    public void Ready()
    {
    }

    public bool TryWaitForStart(out long runStartNanoseconds)
    {
        runStartNanoseconds = MonotonicClock.NowNanoseconds() + MonotonicClock.ToNanoseconds(StartLead);
        return true;
    }

    public void Report(SenderReport report) =>
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sent {report.Sent:N0} ({report.SentInWindow / report.WindowSeconds:N0} msg/s in the window), {report.Unsent:N0} scheduled but never sent; schedule lateness p50 {report.SendLatenessP50Nanoseconds / 1e3:0.0} µs, p99 {report.SendLatenessP99Nanoseconds / 1e3:0.0} µs"));
}
