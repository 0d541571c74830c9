using ShmIpc.Harness.Child.Measurement;
using ShmIpc.Harness.Child.Transports;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Child.Roles;

/// <summary>
/// The receiver: opens the transport, says where it is, then records every snapshot from the start its control
/// gives until the control says the sender is done (and how many it sent) or to stop. It stops the transport
/// before it reads the figures, so no receive thread is still writing them, and reports what it held before the
/// transport was created and after it was disposed (<see cref="ChildResources"/>).
/// All of it on the caller's thread (<see cref="RoleThread"/>): it waits there for the whole run, while the network
/// receivers read on the pool's workers.
/// </summary>
internal sealed class ReceiverRole
{
    /// <summary>How long the receiver waits for stragglers after the sender finished, if none arrive.</summary>
    private static readonly TimeSpan DrainIdleLimit = TimeSpan.FromSeconds(3);

    private readonly RunSettings _settings;
    private readonly IReceiverControl _control;

    public ReceiverRole(RunSettings settings, IReceiverControl control)
    {
        _settings = settings;
        _control = control;
    }

    /// <summary>Runs the receiver to its report on the calling thread (not a pool worker); returns the exit code.</summary>
    public int Run()
    {
        RoleThread.ThrowIfPoolWorker("receiver");
        if (_settings.ReceiverCpu is int cpu && OperatingSystem.IsLinux())
        {
            CpuAffinity.PinProcessTo(cpu);
        }
        UsageSampler.WarmUp();
        double overhead = RecordOverhead.MeasureReceiverNanoseconds();
        var recording = new LatencyRecording(_settings.MaximumMessages(), MonotonicClock.ToNanoseconds(_settings.Duration));
        if (_control.StartsAtFirstMessage)
        {
            recording.StartWindowAtFirstMessage(_settings.Warmup, _settings.Duration);
        }
        ChildResources atStart = ChildResources.Snapshot();
        // Waited for on this thread: the transport's own continuations run on the pool meanwhile.
        ISnapshotReceiver receiver = TransportFactory.CreateReceiverAsync(_settings, recording).GetAwaiter().GetResult();
        bool aborted;
        long stoppedAt;
        long transportErrors;
        Task<UsageOverWindow?> usage = Task.FromResult<UsageOverWindow?>(null);
        using var stopUsage = new CancellationTokenSource();
        try
        {
            _control.Ready(receiver.Endpoint);
            if (!_control.StartsAtFirstMessage)
            {
                if (!_control.TryWaitForStart(out long runStart))
                {
                    return 1;
                }
                MeasurementWindow window = MeasurementWindow.After(runStart, _settings.Warmup, _settings.Duration);
                if (_settings.MessagesPerSecond is double rate)
                {
                    recording.ExpectedSchedule = new OpenLoopSchedule(runStart, rate);
                }
                recording.Window = window;
                usage = UsageSampler.MeasureAsync(window, stopUsage.Token, _settings.SampleAllocationSources);
            }

            aborted = !_control.TryWaitForSenderDone(recording, () => receiver.Failed, out long? sent);
            if (aborted)
            {
                stopUsage.Cancel();
            }
            else if (sent is long count)
            {
                WaitForStragglers(recording, count);
            }
            stoppedAt = MonotonicClock.NowNanoseconds();
            transportErrors = receiver.TransportErrors;
        }
        finally
        {
            receiver.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        // Before the figures are reduced (their allocations are not the transport's): what the disposed transport left.
        ChildResources atEnd = ChildResources.Snapshot();
        RecordingTotals totals = recording.Complete();
        MeasurementWindow measured = recording.Window;
        _control.Report(new ReceiverReport
        {
            Received = totals.Received,
            ReceivedInWindow = totals.ReceivedInWindow,
            BytesInWindow = totals.BytesInWindow,
            Unique = totals.Unique,
            Duplicates = totals.Duplicates,
            OutOfRange = totals.OutOfRange,
            ContentErrors = totals.ContentErrors,
            TransportErrors = transportErrors,
            MissedRecords = receiver.MissedRecords,
            // Interrupted, the rates are over the part of the window that had passed (none, if it never opened).
            WindowSeconds = (aborted ? measured.ElapsedAt(stoppedAt) : measured.LengthNanoseconds) / 1e9,
            Histogram = HistogramTransfer.ToPairs(totals.Histogram),
            Intervals = totals.Intervals.ToTransfer(),
            RecordOverheadNanoseconds = overhead,
            Usage = usage.GetAwaiter().GetResult(),
            Aborted = aborted,
            ResourcesAtStart = atStart,
            ResourcesAtEnd = atEnd,
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
