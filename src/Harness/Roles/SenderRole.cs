using ShmIpc.Harness.Configuration;
using ShmIpc.Harness.Measurement;
using ShmIpc.Harness.Transports;

namespace ShmIpc.Harness.Roles;

/// <summary>
/// The sender process: connects, then on "start T0" follows the open-loop schedule from T0,
/// stamping each snapshot with its intended send time. It sends every scheduled message, late
/// if it must (a late message carries its lateness into the latency), until a grace period past
/// the window's end; what it never got to is reported as unsent.
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
        var pool = new SnapshotPool(_settings.Seed, _settings.InstrumentCount, RunSettings.SnapshotPoolSize);
        await using ISnapshotSender sender = await TransportFactory.CreateSenderAsync(_settings, _endpoint).ConfigureAwait(false);
        _control.Send(new ControlEvent { Event = ControlEvent.Ready });

        ParentCommand start = _control.ReadCommand();
        if (start.Verb != ControlChannel.StartCommand)
        {
            return 1;
        }
        // Any later command (abort, or stdin closing) stops the schedule.
        var watcher = new Thread(() =>
        {
            _control.ReadCommand();
            _abortRequested = true;
        })
        { IsBackground = true, Name = "control" };
        watcher.Start();

        MeasurementWindow window = MeasurementWindow.After(start.Argument, _settings.Warmup, _settings.Duration);
        using var usageCancellation = new CancellationTokenSource();
        Task<(ProcessUsage Start, ProcessUsage End)> usage = Task.Run(() =>
        {
            MonotonicClock.WaitUntil(window.StartNanoseconds, usageCancellation.Token);
            ProcessUsage first = ProcessUsage.Now();
            MonotonicClock.WaitUntil(window.EndNanoseconds, usageCancellation.Token);
            return (first, ProcessUsage.Now());
        });

        SenderReport report = OpenLoopSender.Run(sender, pool, _settings.MessagesPerSecond, start.Argument, window, () => _abortRequested);
        if (_abortRequested)
        {
            await usageCancellation.CancelAsync().ConfigureAwait(false);
        }
        (ProcessUsage usageStart, ProcessUsage usageEnd) = await usage.ConfigureAwait(false);
        _control.Send(new ControlEvent
        {
            Event = ControlEvent.Sent,
            Sender = report with { Usage = _abortRequested ? null : usageEnd.Since(usageStart), Aborted = _abortRequested },
        });
        return 0;
    }
}
