using HdrHistogram;
using ShmIpc.Harness.Parent.Counters;
using ShmIpc.Harness.Parent.HostLoad;
using ShmIpc.Harness.Parent.Reporting;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Parent.Orchestration;

/// <summary>
/// Runs one transport: starts the receiver process, then the sender process, gives both the same
/// start time, waits (idle) for the sender's report, tells the receiver how many were sent, and
/// turns the two reports into a <see cref="TransportResult"/>. A child that dies, hangs or reports
/// an error makes the row "failed" with its reason; cancellation (Ctrl+C) makes it "partial".
/// </summary>
internal static class TransportRun
{
    private static readonly TimeSpan SetupTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ReportTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    /// <summary>After Ctrl+C, how long each child may take to report what it has: short, so the whole shutdown fits the process's termination timeout.</summary>
    private static readonly TimeSpan InterruptedReportTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Lead time between "start" and the schedule's first message, so both children are waiting for it.</summary>
    private static readonly TimeSpan StartLead = TimeSpan.FromMilliseconds(200);

    public static async Task<(TransportResult Result, HistogramBase? Histogram, IReadOnlyList<IntervalHistogram> Intervals)> RunAsync(
        RunSettings settings, IRunProgress progress, CancellationToken cancellation, bool perf = false)
    {
        ChildProcess? receiver = null;
        ChildProcess? sender = null;
        SenderReport? senderReport = null;
        try
        {
            progress.Phase(settings, "starting receiver");
            receiver = ChildProcess.Start(ChildArguments.ReceiverRole, ChildArguments.ForReceiver(settings), ReceiverThreading.ProcessEnvironment(settings));
            ControlEvent ready = await receiver.NextEventAsync(ControlEvent.Ready, SetupTimeout, cancellation).ConfigureAwait(false);
            string endpoint = ready.Endpoint ?? throw new ChildFailedException("receiver did not say where it listens");

            progress.Phase(settings, $"starting sender → {endpoint}");
            sender = ChildProcess.Start(ChildArguments.SenderRole, ChildArguments.ForSender(settings, endpoint));
            await sender.NextEventAsync(ControlEvent.Ready, SetupTimeout, cancellation).ConfigureAwait(false);

            long runStart = MonotonicClock.NowNanoseconds() + MonotonicClock.ToNanoseconds(StartLead);
            receiver.SendCommand(ParentCommand.Start(runStart));
            sender.SendCommand(ParentCommand.Start(runStart));
            long windowStart = runStart + MonotonicClock.ToNanoseconds(settings.Warmup);
            Task<WindowLoad?> hostLoad = WindowLoadSampler.MeasureAsync(windowStart, windowStart + MonotonicClock.ToNanoseconds(settings.Duration), cancellation);
            (Task<PerfCounters> Sender, Task<PerfCounters> Receiver)? counters = perf
                ? (PerfStat.MeasureAsync(sender.ProcessId, windowStart, settings.Duration, cancellation), PerfStat.MeasureAsync(receiver.ProcessId, windowStart, settings.Duration, cancellation))
                : null;
            progress.Running(settings);

            // The parent only waits from here on: no polling, no work while the children measure, but for the host's CPU
            // times read once at each edge of the window (and, with --perf, perf stat started at its first edge).
            TimeSpan runLength = settings.Warmup + settings.Duration;
            TimeSpan sendTimeout = runLength + runLength / 10 + TimeSpan.FromSeconds(1) + ReportTimeout;
            Task<ControlEvent> sent = sender.NextEventAsync(ControlEvent.Sent, sendTimeout, cancellation);
            try
            {
                senderReport = (await sent.ConfigureAwait(false)).Sender;
            }
            catch (OperationCanceledException)
            {
                progress.Phase(settings, "interrupted: collecting partial results");
                sender.SendCommand(ParentCommand.Abort);
                senderReport = (await sender.NextEventAsync(ControlEvent.Sent, InterruptedReportTimeout, CancellationToken.None).ConfigureAwait(false)).Sender;
            }
            SenderReport senderFinal = senderReport ?? throw new ChildFailedException("sender sent no report");

            progress.Phase(settings, "draining receiver");
            receiver.SendCommand(senderFinal.Aborted ? ParentCommand.Abort : ParentCommand.Finish(senderFinal.Sent));
            ControlEvent result = await receiver.NextEventAsync(ControlEvent.Result,
                cancellation.IsCancellationRequested ? InterruptedReportTimeout : ReportTimeout, CancellationToken.None).ConfigureAwait(false);
            ReceiverReport receiverReport = result.Receiver ?? throw new ChildFailedException("receiver sent no report");

            LongHistogram histogram = HistogramTransfer.FromPairs(receiverReport.Histogram);
            TransportResult row = ResultBuilder.Build(settings, senderFinal, receiverReport, histogram, await hostLoad.ConfigureAwait(false));
            if (counters is (Task<PerfCounters> senderCounters, Task<PerfCounters> receiverCounters))
            {
                row = row with { Perf = new PerSide<PerfCounters>(await senderCounters.ConfigureAwait(false), await receiverCounters.ConfigureAwait(false)) };
            }
            return (row, histogram, receiverReport.Intervals);
        }
#pragma warning disable CA1031 // Whatever goes wrong with one transport fails its row; the others still run.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            bool interrupted = cancellation.IsCancellationRequested;
            // When one side dies the other usually fails too (a reset connection, a gone peer): name the death first.
            string? death = receiver?.ExitDescription ?? sender?.ExitDescription;
            string reason = death is null || exception.Message.StartsWith(death, StringComparison.Ordinal) ? exception.Message : $"{death}; {exception.Message}";
            return (ResultBuilder.Failed(settings, interrupted ? TransportResult.StatusPartial : TransportResult.StatusFailed,
                interrupted ? "interrupted before the run finished" : reason), null, []);
        }
        finally
        {
            await StopAsync(sender).ConfigureAwait(false);
            await StopAsync(receiver).ConfigureAwait(false);
            SegmentCleanup.RemoveIfLeft(settings, progress);
        }
    }

    private static async Task StopAsync(ChildProcess? child)
    {
        if (child is null)
        {
            return;
        }
        await child.StopAsync(StopGrace).ConfigureAwait(false);
        child.Dispose();
    }
}
