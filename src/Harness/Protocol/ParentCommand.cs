namespace ShmIpc.Harness.Protocol;

/// <summary>A command from the parent: its verb and one numeric argument (a time or a count).</summary>
internal readonly record struct ParentCommand(string Verb, long Argument)
{
    public const string StartVerb = "start";
    public const string FinishVerb = "finish";
    public const string AbortVerb = "abort";

    /// <summary>Stop now and report what was measured; also what a child reads when its stdin closes (the parent is gone).</summary>
    public static ParentCommand Abort { get; } = new(AbortVerb, 0);

    public bool IsStart => Verb == StartVerb;

    public bool IsFinish => Verb == FinishVerb;

    /// <summary>Both children: the schedule starts at <paramref name="runStartNanoseconds"/> (CLOCK_MONOTONIC).</summary>
    public static ParentCommand Start(long runStartNanoseconds) => new(StartVerb, runStartNanoseconds);

    /// <summary>The receiver: the sender is done after <paramref name="messagesSent"/> messages; wait for stragglers, then report.</summary>
    public static ParentCommand Finish(long messagesSent) => new(FinishVerb, messagesSent);
}
