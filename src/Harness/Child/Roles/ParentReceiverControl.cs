using ShmIpc.Harness.Child.Measurement;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Child.Roles;

/// <summary>
/// The parent, as a receiver child sees it: "ready" (with the endpoint) and the report go out as events; "start T0"
/// comes in, then "finish N" once the sender has sent N messages, or "abort" (or stdin closing) to stop early.
/// </summary>
internal sealed class ParentReceiverControl : IReceiverControl
{
    private readonly ControlChannel _channel;

    public ParentReceiverControl(ControlChannel channel) => _channel = channel;

    public bool StartsAtFirstMessage => false;

    public void Ready(string endpoint) => _channel.Send(new ControlEvent { Event = ControlEvent.Ready, Endpoint = endpoint });

    public bool TryWaitForStart(out long runStartNanoseconds)
    {
        ParentCommand start = _channel.ReadCommand();
        runStartNanoseconds = start.Argument;
        return start.IsStart;
    }

    /// <summary>The parent decides when the run ends, also after a receiver failure (it sees the report's errors).</summary>
    public bool TryWaitForSenderDone(LatencyRecording recording, Func<bool> receiverFailed, out long? messagesSent)
    {
        ParentCommand finish = _channel.ReadCommand();
        messagesSent = finish.IsFinish ? finish.Argument : null;
        return finish.IsFinish;
    }

    public void Report(ReceiverReport report) => _channel.Send(new ControlEvent { Event = ControlEvent.Result, Receiver = report });
}
