using System.Globalization;
using HdrHistogram;
using ShmIpc.Harness.Parent.Counters;
using ShmIpc.Harness.Parent.HostLoad;
using ShmIpc.Harness.Parent.Reporting;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Parent.Orchestration;

/// <summary>
/// Runs one transport: starts the receiver process, then the sender process (shm-broadcast: the sender, which
/// creates the ring, then one receiver process per consumer), gives all the same start time, waits (idle) for the
/// sender's report, tells the receivers how many were sent, and turns the reports into a <see cref="TransportResult"/>
/// (several consumers: the worst one's row, with every consumer's in <see cref="TransportResult.Consumers"/>). A child that dies, hangs or reports
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

    /// <returns>
    /// The row, its histogram and intervals, and what each child that reported held before its transport was created
    /// and after it was disposed (for <see cref="LeakCheck"/>; empty for a failed row).
    /// </returns>
    public static async Task<(TransportResult Result, HistogramBase? Histogram, IReadOnlyList<IntervalHistogram> Intervals, IReadOnlyList<ChildLeakCheck> Children)> RunAsync(
        RunSettings settings, IRunProgress progress, CancellationToken cancellation, bool perf = false)
    {
        var receivers = new List<ChildProcess>();
        ChildProcess? sender = null;
        SenderReport? senderReport = null;
        try
        {
            if (settings.Transport == TransportKind.SharedMemoryBroadcast)
            {
                // The broadcast's producer creates the ring, so the sender comes first; every consumer joins it before the start.
                string segment = settings.SegmentName ?? throw new ChildFailedException("no segment name for the broadcast ring");
                sender = await StartSenderAsync(settings, segment, progress, cancellation).ConfigureAwait(false);
                for (int consumer = 0; consumer < settings.Consumers; consumer++)
                {
                    progress.Phase(settings, $"starting consumer {consumer + 1} of {settings.Consumers} ({EnumNames.Of(settings.BroadcastPolicy)}, shm-wait {EnumNames.Of(settings.ShmWait)})");
                    (ChildProcess receiver, _) = await StartReceiverAsync(settings, cancellation).ConfigureAwait(false);
                    receivers.Add(receiver);
                }
            }
            else
            {
                progress.Phase(settings, "starting receiver");
                (ChildProcess receiver, string endpoint) = await StartReceiverAsync(settings, cancellation).ConfigureAwait(false);
                receivers.Add(receiver);
                sender = await StartSenderAsync(settings, endpoint, progress, cancellation).ConfigureAwait(false);
            }

            long runStart = MonotonicClock.NowNanoseconds() + MonotonicClock.ToNanoseconds(StartLead);
            foreach (ChildProcess receiver in receivers)
            {
                receiver.SendCommand(ParentCommand.Start(runStart));
            }
            sender.SendCommand(ParentCommand.Start(runStart));
            long windowStart = runStart + MonotonicClock.ToNanoseconds(settings.Warmup);
            Task<WindowLoad?> hostLoad = WindowLoadSampler.MeasureAsync(windowStart, windowStart + MonotonicClock.ToNanoseconds(settings.Duration), cancellation);
            // With several consumers, perf stat follows the first one.
            (Task<PerfCounters> Sender, Task<PerfCounters> Receiver)? counters = perf
                ? (PerfStat.MeasureAsync(sender.ProcessId, windowStart, settings.Duration, cancellation), PerfStat.MeasureAsync(receivers[0].ProcessId, windowStart, settings.Duration, cancellation))
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

            progress.Phase(settings, receivers.Count == 1 ? "draining receiver" : $"draining {receivers.Count} consumers");
            foreach (ChildProcess receiver in receivers)
            {
                receiver.SendCommand(senderFinal.Aborted ? ParentCommand.Abort : ParentCommand.Finish(senderFinal.Sent));
            }
            WindowLoad? load = await hostLoad.ConfigureAwait(false);
            var consumerRows = new List<(TransportResult Row, LongHistogram Histogram, IReadOnlyList<IntervalHistogram> Intervals)>();
            var children = new List<ChildLeakCheck>();
            AddChild(children, "sender", senderFinal.ResourcesAtStart, senderFinal.ResourcesAtEnd);
            foreach (ChildProcess receiver in receivers)
            {
                // Each drains on its own meanwhile: the later ones' reports are waiting by the time they are read.
                ControlEvent result = await receiver.NextEventAsync(ControlEvent.Result,
                    cancellation.IsCancellationRequested ? InterruptedReportTimeout : ReportTimeout, CancellationToken.None).ConfigureAwait(false);
                ReceiverReport receiverReport = result.Receiver ?? throw new ChildFailedException("receiver sent no report");
                AddChild(children, receivers.Count == 1 ? "receiver" : string.Create(CultureInfo.InvariantCulture, $"consumer {receivers.IndexOf(receiver) + 1}"),
                    receiverReport.ResourcesAtStart, receiverReport.ResourcesAtEnd);
                LongHistogram histogram = HistogramTransfer.FromPairs(receiverReport.Histogram);
                consumerRows.Add((ResultBuilder.Build(settings, senderFinal, receiverReport, histogram, load), histogram, receiverReport.Intervals));
            }

            (TransportResult row, LongHistogram worstHistogram, IReadOnlyList<IntervalHistogram> intervals) = WorstConsumer.Of(consumerRows);
            if (settings.Transport == TransportKind.SharedMemoryBroadcast)
            {
                row = row with { Consumers = [.. consumerRows.Select(consumer => consumer.Row)] };
            }
            // Every consumer of a broadcast ring starts with the same environment: the first one's stands for them.
            row = row with { RuntimeEnvironment = new PerSide<IReadOnlyDictionary<string, string>>(sender.RuntimeEnvironment, receivers[0].RuntimeEnvironment) };
            if (counters is (Task<PerfCounters> senderCounters, Task<PerfCounters> receiverCounters))
            {
                row = row with { Perf = new PerSide<PerfCounters>(await senderCounters.ConfigureAwait(false), await receiverCounters.ConfigureAwait(false)) };
            }
            return (row, worstHistogram, intervals, children);
        }
#pragma warning disable CA1031 // Whatever goes wrong with one transport fails its row; the others still run.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            bool interrupted = cancellation.IsCancellationRequested;
            // When one side dies the other usually fails too (a reset connection, a gone peer): name the death first.
            string? death = receivers.Select(receiver => receiver.ExitDescription).FirstOrDefault(exit => exit is not null) ?? sender?.ExitDescription;
            string reason = death is null || exception.Message.StartsWith(death, StringComparison.Ordinal) ? exception.Message : $"{death}; {exception.Message}";
            return (ResultBuilder.Failed(settings, interrupted ? TransportResult.StatusPartial : TransportResult.StatusFailed,
                interrupted ? "interrupted before the run finished" : reason), null, [], []);
        }
        finally
        {
            await StopAsync(sender).ConfigureAwait(false);
            foreach (ChildProcess receiver in receivers)
            {
                await StopAsync(receiver).ConfigureAwait(false);
            }
            SegmentCleanup.RemoveIfLeft(settings, progress);
        }
    }

    /// <summary>A child's before and after, when its report carried both.</summary>
    private static void AddChild(List<ChildLeakCheck> children, string child, ChildResources? start, ChildResources? end)
    {
        if (start is not null && end is not null)
        {
            children.Add(new ChildLeakCheck(child, start, end));
        }
    }

    /// <summary>Starts a receiver and waits until it is ready; returns it with where it listens (or the segment it joined).</summary>
    private static async Task<(ChildProcess Receiver, string Endpoint)> StartReceiverAsync(RunSettings settings, CancellationToken cancellation)
    {
        ChildProcess receiver = ChildProcess.Start(
            ChildArguments.ReceiverRole,
            ChildArguments.ForReceiver(settings),
            ReceiverThreading.ProcessEnvironment(settings).Concat(SharedArrayPoolSizing.ProcessEnvironment(settings)).ToDictionary());
        try
        {
            ControlEvent ready = await receiver.NextEventAsync(ControlEvent.Ready, SetupTimeout, cancellation).ConfigureAwait(false);
            return (receiver, ready.Endpoint ?? throw new ChildFailedException("receiver did not say where it listens"));
        }
        catch
        {
            await StopAsync(receiver).ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<ChildProcess> StartSenderAsync(RunSettings settings, string endpoint, IRunProgress progress, CancellationToken cancellation)
    {
        progress.Phase(settings, $"starting sender → {endpoint}");
        ChildProcess sender = ChildProcess.Start(ChildArguments.SenderRole, ChildArguments.ForSender(settings, endpoint), SharedArrayPoolSizing.ProcessEnvironment(settings));
        try
        {
            await sender.NextEventAsync(ControlEvent.Ready, SetupTimeout, cancellation).ConfigureAwait(false);
            return sender;
        }
        catch
        {
            await StopAsync(sender).ConfigureAwait(false);
            throw;
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
