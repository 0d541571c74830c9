namespace ShmIpc.ShmRing.Tests.Support;

/// <summary>
/// A hook that holds the thread it is installed on the first time it reaches one <see cref="RingStep"/>, until the
/// test lets it go: the test then runs another party while this one stands between two of its protocol steps.
/// </summary>
internal sealed class StepGate : IRingStepHook, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly RingStep _step;
    private readonly ManualResetEventSlim _reached = new();
    private readonly ManualResetEventSlim _released = new();

    public StepGate(RingStep step) => _step = step;

    /// <summary>The position the step reported when the gate held it.</summary>
    public long Position { get; private set; }

    public void At(RingStep step, long position)
    {
        if (step != _step || _reached.IsSet)
        {
            return;
        }

        Position = position;
        _reached.Set();
        if (!_released.Wait(Patience))
        {
            throw new TimeoutException($"the test never released {_step}");
        }
    }

    /// <summary>Waits until the gated thread stands at the step.</summary>
    public void WaitUntilHeld()
        => Assert.True(_reached.Wait(Patience), $"the party never reached {_step}");

    public void Release() => _released.Set();

    public void Dispose()
    {
        _released.Set();
        _reached.Dispose();
        _released.Dispose();
    }
}
