using ShmIpc.Harness.Child.Measurement;
using ShmIpc.Harness.Child.Transports;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Child.Roles;

/// <summary>
/// The receiver process: opens the transport, says where it is, then records every snapshot
/// until the parent says how many were sent (or to stop). It stops the transport before it reads
/// the figures, so no receive thread is still writing them.
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
        UsageSampler.WarmUp();
        double overhead = RecordOverhead.MeasureReceiverNanoseconds();
        var recording = new LatencyRecording(_settings.MaximumMessages());
        ISnapshotReceiver receiver = await TransportFactory.CreateReceiverAsync(_settings, recording).ConfigureAwait(false);
        MeasurementWindow window;
        bool aborted;
        long stoppedAt;
        long transportErrors;
        Task<UsageOverWindow?> usage;
        using var stopUsage = new CancellationTokenSource();
        try
        {
            _control.Send(new ControlEvent { Event = ControlEvent.Ready, Endpoint = receiver.Endpoint });
            ParentCommand start = _control.ReadCommand();
            if (!start.IsStart)
            {
                return 1;
            }
            window = MeasurementWindow.After(start.Argument, _settings.Warmup, _settings.Duration);
            if (_settings.MessagesPerSecond is double rate)
            {
                recording.ExpectedSchedule = new OpenLoopSchedule(start.Argument, rate);
            }
            recording.Window = window;
            usage = UsageSampler.MeasureAsync(window, stopUsage.Token, _settings.SampleAllocationSources);

            ParentCommand finish = _control.ReadCommand();
            aborted = !finish.IsFinish;
            if (aborted)
            {
                await stopUsage.CancelAsync().ConfigureAwait(false);
            }
            else
            {
                WaitForStragglers(recording, finish.Argument);
            }
            stoppedAt = MonotonicClock.NowNanoseconds();
            transportErrors = receiver.TransportErrors;
        }
        finally
        {
            await receiver.DisposeAsync().ConfigureAwait(false);
        }

        RecordingTotals totals = recording.Complete();
        _control.Send(new ControlEvent
        {
            Event = ControlEvent.Result,
            Receiver = new ReceiverReport
            {
                Received = totals.Received,
                ReceivedInWindow = totals.ReceivedInWindow,
                BytesInWindow = totals.BytesInWindow,
                Unique = totals.Unique,
                Duplicates = totals.Duplicates,
                OutOfRange = totals.OutOfRange,
                ContentErrors = totals.ContentErrors,
                TransportErrors = transportErrors,
                // Interrupted, the rates are over the part of the window that had passed.
                WindowSeconds = (aborted ? window.ElapsedAt(stoppedAt) : window.LengthNanoseconds) / 1e9,
                Histogram = HistogramTransfer.ToPairs(totals.Histogram),
                RecordOverheadNanoseconds = overhead,
                Usage = await usage.ConfigureAwait(false),
                Aborted = aborted,
            },
        });
        return 0;
    }

    private static void WaitForStragglers(LatencyRecording recording, long sent)
    {
        long lastCount = -1;
        long lastProgress = MonotonicClock.NowNanoseconds();
        while (true)
        {
            long count = recording.Received;
            if (count >= sent)
            {
                return;
            }
            long now = MonotonicClock.NowNanoseconds();
            if (count != lastCount)
            {
                lastCount = count;
                lastProgress = now;
            }
            else if (now - lastProgress > MonotonicClock.ToNanoseconds(DrainIdleLimit))
            {
                return;
            }
            Thread.Sleep(5);
        }
    }
}
