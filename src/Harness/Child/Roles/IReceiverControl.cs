using ShmIpc.Harness.Child.Measurement;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Child.Roles;

/// <summary>
/// What runs a <see cref="ReceiverRole"/>: it says when the run starts and when the sender is done, and takes the
/// report. In a comparison that is the parent process, over the control channel
/// (<see cref="ParentReceiverControl"/>); for `harness serve`, the terminal, which has no start time to give.
/// </summary>
internal interface IReceiverControl
{
    /// <summary>
    /// True when no start time will come (<see cref="TryWaitForStart"/> is not called): the window opens at the first
    /// message, by this host's clock (a sender on another host has a clock of its own), and no usage figures are
    /// taken, since the window is not known in advance.
    /// </summary>
    bool StartsAtFirstMessage { get; }

    /// <summary>The receiver listens at <paramref name="endpoint"/> (host:port, or the segment it created).</summary>
    void Ready(string endpoint);

    /// <summary>Blocks until the run starts: its start time T0 (CLOCK_MONOTONIC ns). False when told to stop first.</summary>
    bool TryWaitForStart(out long runStartNanoseconds);

    /// <summary>
    /// Blocks until the sender is done. <paramref name="messagesSent"/> is how many it sent, for the receiver to wait
    /// for stragglers, or null when nobody knows. False when the run was stopped early. <paramref name="receiverFailed"/>
    /// says whether the receiver can take no more (a control that decides alone may stop waiting then).
    /// </summary>
    bool TryWaitForSenderDone(LatencyRecording recording, Func<bool> receiverFailed, out long? messagesSent);

    void Report(ReceiverReport report);
}
