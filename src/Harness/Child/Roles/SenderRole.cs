using ShmIpc.Harness.Child.Measurement;
using ShmIpc.Harness.Child.Transports;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Child.Roles;

/// <summary>
/// The sender: connects, says it is ready, then from the start its control gives runs the open-loop schedule
/// (<see cref="OpenLoopSender"/>) until it ends or the control asks it to stop, disposes the transport and
/// reports, with what it held before the transport was created and after it was disposed (<see cref="ChildResources"/>).
/// All of it on the caller's thread (<see cref="RoleThread"/>): the schedule waits there for each send, whose
/// completion needs the pool's workers.
/// </summary>
internal sealed class SenderRole
{
    private readonly RunSettings _settings;
    private readonly string _endpoint;
    private readonly ISenderControl _control;

    public SenderRole(RunSettings settings, string endpoint, ISenderControl control)
    {
        _settings = settings;
        _endpoint = endpoint;
        _control = control;
    }

    /// <summary>Runs the sender to its report on the calling thread (the process's main thread, not a pool worker); returns the exit code.</summary>
    public int Run()
    {
        RoleThread.ThrowIfPoolWorker("sender");
        if (_settings.SenderCpu is int cpu && OperatingSystem.IsLinux())
        {
            CpuAffinity.PinProcessTo(cpu);
        }
        UsageSampler.WarmUp();
        double overhead = RecordOverhead.MeasureSenderNanoseconds();
        var pool = new SnapshotPool(_settings.Seed, _settings.InstrumentCount, RunSettings.SnapshotPoolSize);
        ChildResources atStart = ChildResources.Snapshot();
        // Waited for on this thread: the connection's own continuations run on the pool meanwhile.
        ISnapshotSender sender = TransportFactory.CreateSenderAsync(_settings, _endpoint).GetAwaiter().GetResult();
        SenderReport report;
        try
        {
            _control.Ready();
            if (!_control.TryWaitForStart(out long runStart))
            {
                return 1;
            }

            MeasurementWindow window = MeasurementWindow.After(runStart, _settings.Warmup, _settings.Duration);
            using var stopUsage = new CancellationTokenSource();
            Task<UsageOverWindow?> usage = UsageSampler.MeasureAsync(window, stopUsage.Token, _settings.SampleAllocationSources);
            OpenLoopSender.Outcome outcome = OpenLoopSender.Run(sender, pool, _settings.MessagesPerSecond, _settings.MaximumMessages(), runStart, window, _control.StopRequested, _settings.InjectedSendDelay);
            if (outcome.Aborted)
            {
                stopUsage.Cancel();
            }
            // The report only after the window's end sample (see OpenLoopSender.Outcome).
            UsageOverWindow? measured = usage.GetAwaiter().GetResult();
            report = outcome.ToReport() with { Usage = measured, StampOverheadNanoseconds = overhead };
        }
        finally
        {
            // Disposed before the report, so that what the report says is left after it is the transport's doing.
            sender.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        _control.Report(report with { ResourcesAtStart = atStart, ResourcesAtEnd = ChildResources.Snapshot() });
        return 0;
    }
}
