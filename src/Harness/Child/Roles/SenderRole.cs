using ShmIpc.Harness.Child.Measurement;
using ShmIpc.Harness.Child.Transports;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Child.Roles;

/// <summary>
/// The sender process: connects, says it is ready, then on "start T0" runs the open-loop schedule
/// from T0 (<see cref="OpenLoopSender"/>). Any later command from the parent, or its stdin closing,
/// stops the schedule early.
/// </summary>
internal sealed class SenderRole
{
    private readonly RunSettings _settings;
    private readonly string _endpoint;
    private readonly ControlChannel _control;
    private volatile bool _abortRequested;

    public SenderRole(RunSettings settings, string endpoint, ControlChannel control)
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
        _control.Send(new ControlEvent { Event = ControlEvent.Ready });

        ParentCommand start = _control.ReadCommand();
        if (!start.IsStart)
        {
            return 1;
        }
        var watcher = new Thread(() =>
        {
            _control.ReadCommand();
            _abortRequested = true;
        })
        { IsBackground = true, Name = "control" };
        watcher.Start();

        MeasurementWindow window = MeasurementWindow.After(start.Argument, _settings.Warmup, _settings.Duration);
        using var stopUsage = new CancellationTokenSource();
        Task<UsageOverWindow?> usage = UsageSampler.MeasureAsync(window, stopUsage.Token, _settings.SampleAllocationSources);
        SenderReport report = OpenLoopSender.Run(sender, pool, _settings.MessagesPerSecond, _settings.MaximumMessages(), start.Argument, window, () => _abortRequested);
        if (report.Aborted)
        {
            await stopUsage.CancelAsync().ConfigureAwait(false);
        }
        _control.Send(new ControlEvent
        {
            Event = ControlEvent.Sent,
            Sender = report with { Usage = await usage.ConfigureAwait(false), StampOverheadNanoseconds = overhead },
        });
        return 0;
    }
}
