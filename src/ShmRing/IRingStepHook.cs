namespace ShmIpc.ShmRing;

/// <summary>A test's code run at a <see cref="RingStep"/> (hold the party there, let another one run, simulate a death).</summary>
internal interface IRingStepHook
{
    void At(RingStep step, long position);
}
