using ShmIpc.Harness.Configuration;
using ShmIpc.Harness.Measurement;
using ShmIpc.Harness.Transports;

namespace ShmIpc.Harness.Roles;

/// <summary>
/// The receiver process: opens the transport, says where it is, then records every snapshot
/// until the parent says how many were sent. It takes its resource snapshots at the window's
/// edges on this control thread, so the receive path pays nothing for them.
/// </summary>
internal sealed class ReceiverRole
{
    /// <summary>How long the receiver waits for stragglers after the sender finished, if none arrive.</summary>
    private static readonly TimeSpan DrainIdleLimit = TimeSpan.FromSeconds(3);

    private readonly RunSettings _settings;
    private readonly ControlChannel _control;

    public ReceiverRole(RunSettings settings, ControlChannel control)
    {
        _settings = settings;
        _control = control;
    }

    public async Task<int> RunAsync()
    {
        if (_settings.ReceiverCpu is int cpu && OperatingSystem.IsLinux())
        {
            CpuAffinity.PinProcessTo(cpu);
        }
        double overhead = RecordOverhead.MeasureNanoseconds();
        var recorder = new LatencyRecorder(_settings.MaximumMessages());
        await using ISnapshotReceiver receiver = await TransportFactory.CreateReceiverAsync(_settings, recorder).ConfigureAwait(false);
        _control.Send(new ControlEvent { Event = ControlEvent.Ready, Endpoint = receiver.Endpoint });

        ParentCommand start = _control.ReadCommand();
        if (start.Verb != ControlChannel.StartCommand)
        {
            return 1;
        }
        MeasurementWindow window = MeasurementWindow.After(start.Argument, _settings.Warmup, _settings.Duration);
        recorder.Window = window;
        using var aborted = new CancellationTokenSource();
        Task<(ProcessUsage Start, ProcessUsage End)> usage = Task.Run(() =>
        {
            MonotonicClock.WaitUntil(window.StartNanoseconds, aborted.Token);
            ProcessUsage first = ProcessUsage.Now();
            MonotonicClock.WaitUntil(window.EndNanoseconds, aborted.Token);
            return (first, ProcessUsage.Now());
        });

        ParentCommand finish = _control.ReadCommand();
        bool isAborted = finish.Verb != ControlChannel.FinishCommand;
        if (isAborted)
        {
            await aborted.CancelAsync().ConfigureAwait(false);
        }
        else
        {
            WaitForStragglers(recorder, finish.Argument);
        }
        (ProcessUsage usageStart, ProcessUsage usageEnd) = await usage.ConfigureAwait(false);
        _control.Send(new ControlEvent
        {
            Event = ControlEvent.Result,
            Receiver = new ReceiverReport
            {
                Received = recorder.Received,
                ReceivedInWindow = recorder.ReceivedInWindow,
                BytesInWindow = recorder.BytesInWindow,
                Unique = recorder.Sequences.Unique,
                Duplicates = recorder.Sequences.Duplicates,
                OutOfRange = recorder.Sequences.OutOfRange,
                ContentErrors = recorder.ContentErrors,
                TransportErrors = receiver.TransportErrors,
                WindowSeconds = window.LengthNanoseconds / 1e9,
                Histogram = HistogramTransfer.ToPairs(recorder.Histogram),
                RecordOverheadNanoseconds = overhead,
                Usage = isAborted ? null : usageEnd.Since(usageStart),
                Aborted = isAborted,
            },
        });
        return 0;
    }

    private static void WaitForStragglers(LatencyRecorder recorder, long sent)
    {
        long lastCount = -1;
        long lastProgress = MonotonicClock.NowNanoseconds();
        while (recorder.Received < sent)
        {
            long count = recorder.Received;
            long now = MonotonicClock.NowNanoseconds();
            if (count != lastCount)
            {
                lastCount = count;
                lastProgress = now;
            }
            else if (now - lastProgress > MeasurementWindow.ToNanoseconds(DrainIdleLimit))
            {
                return;
            }
            Thread.Sleep(5);
        }
    }
}
