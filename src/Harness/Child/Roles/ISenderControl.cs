using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Child.Roles;

/// <summary>
/// What runs a <see cref="SenderRole"/>: it says when the schedule starts and when to stop early, and takes the
/// report. In a comparison that is the parent process, over the control channel (<see cref="ParentSenderControl"/>);
/// for `harness send`, the terminal.
/// </summary>
internal interface ISenderControl
{
    /// <summary>The sender is connected and waits for its start.</summary>
    void Ready();

    /// <summary>Blocks until the schedule may start: its start time T0 (CLOCK_MONOTONIC ns). False when told to stop first.</summary>
    bool TryWaitForStart(out long runStartNanoseconds);

    /// <summary>True once the run is to stop early; the schedule calls it before each message, so it only reads a flag.</summary>
    Func<bool> StopRequested { get; }

    void Report(SenderReport report);
}
