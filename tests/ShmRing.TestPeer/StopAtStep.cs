namespace ShmIpc.ShmRing.TestPeer;

/// <summary>
/// Stops this producer at the <c>occurrence</c>-th time it reaches <c>step</c>: prints "stopped N" (N = the records the
/// consumer must receive: those committed, the one at a commit step included) and then sleeps, for the test to kill -9
/// it there, or, with <c>resume</c>, waits for a line on stdin (the test SIGSTOPs it meanwhile) and goes on.
/// </summary>
internal sealed class StopAtStep(RingStep step, int occurrence, bool resume, ProduceProgress progress) : IRingStepHook
{
    private int _reached;

    public void At(RingStep reached, long position)
    {
        if (reached != step || ++_reached != occurrence)
        {
            return;
        }

        long mustArrive = progress.Committed + (step == RingStep.ProducerCommitted ? 1 : 0);
        Console.Out.WriteLine($"stopped {mustArrive}");
        if (resume)
        {
            _ = Console.In.ReadLine();
            return;
        }

        Thread.Sleep(Timeout.Infinite);
    }
}
