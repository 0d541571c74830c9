using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Child.Roles;

/// <summary>
/// The parent, as a sender child sees it: "ready" and the report go out as events; "start T0" comes in, and any
/// later command from the parent, or its stdin closing, stops the schedule early.
/// </summary>
internal sealed class ParentSenderControl : ISenderControl
{
    private readonly ControlChannel _channel;
    private volatile bool _stopRequested;

    public ParentSenderControl(ControlChannel channel)
    {
        _channel = channel;
        // SYNC POINT (acquire): partner: the watcher's release below; only the flag is published.
        StopRequested = () => _stopRequested;
    }

    public Func<bool> StopRequested { get; }

    public void Ready() => _channel.Send(new ControlEvent { Event = ControlEvent.Ready });

    public bool TryWaitForStart(out long runStartNanoseconds)
    {
        ParentCommand start = _channel.ReadCommand();
        runStartNanoseconds = start.Argument;
        if (!start.IsStart)
        {
            return false;
        }
        var watcher = new Thread(() =>
        {
            _channel.ReadCommand();
            // SYNC POINT (release): partner: StopRequested, read by the schedule before each message.
            _stopRequested = true;
        })
        { IsBackground = true, Name = "control" };
        watcher.Start();
        return true;
    }

    public void Report(SenderReport report) => _channel.Send(new ControlEvent { Event = ControlEvent.Sent, Sender = report });
}
