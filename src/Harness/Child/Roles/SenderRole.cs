using ShmIpc.Harness.Child.Measurement;
using ShmIpc.Harness.Child.Transports;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Child.Roles;

/// <summary>
/// The sender: connects, says it is ready, then from the start its control gives runs the open-loop schedule
/// (<see cref="OpenLoopSender"/>) until it ends or the control asks it to stop, and reports.
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

    public async Task<int> RunAsync()
    {
        if (_settings.SenderCpu is int cpu && OperatingSystem.IsLinux())
        {
            CpuAffinity.PinProcessTo(cpu);
        }
        UsageSampler.WarmUp();
        double overhead = RecordOverhead.MeasureSenderNanoseconds();
        var pool = new SnapshotPool(_settings.Seed, _settings.InstrumentCount, RunSettings.SnapshotPoolSize);
        await using ISnapshotSender sender = await TransportFactory.CreateSenderAsync(_settings, _endpoint).ConfigureAwait(false);
        _control.Ready();
        if (!_control.TryWaitForStart(out long runStart))
        {
            return 1;
        }

        MeasurementWindow window = MeasurementWindow.After(runStart, _settings.Warmup, _settings.Duration);
        using var stopUsage = new CancellationTokenSource();
        Task<UsageOverWindow?> usage = UsageSampler.MeasureAsync(window, stopUsage.Token, _settings.SampleAllocationSources);
        SenderReport report = OpenLoopSender.Run(sender, pool, _settings.MessagesPerSecond, _settings.MaximumMessages(), runStart, window, _control.StopRequested, _settings.InjectedSendDelay);
        if (report.Aborted)
        {
            await stopUsage.CancelAsync().ConfigureAwait(false);
        }
        _control.Report(report with { Usage = await usage.ConfigureAwait(false), StampOverheadNanoseconds = overhead });
        return 0;
    }
}
