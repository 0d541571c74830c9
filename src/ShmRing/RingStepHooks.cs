using System.Runtime.CompilerServices;

namespace ShmIpc.ShmRing;

/// <summary>
/// Where the producer and consumer call a test's <see cref="IRingStepHook"/>. Off unless the AppContext switch
/// <see cref="SwitchName"/> is set before the first ring is used (the test assembly's module initializer, the test
/// peer's Main): <see cref="Enabled"/> is static readonly, so the tier-1 JIT folds every <see cref="At"/> away.
/// </summary>
internal static class RingStepHooks
{
    public const string SwitchName = "ShmIpc.ShmRing.StepHooks";

    private static readonly bool Enabled = AppContext.TryGetSwitch(SwitchName, out bool enabled) && enabled;

    // Per thread: each party of a test runs on its own thread with its own hook.
    [ThreadStatic]
    private static IRingStepHook? _current;

    /// <summary>The calling thread's hook (null: none).</summary>
    /// <exception cref="InvalidOperationException">The switch was not set: the hook would never be called.</exception>
    public static IRingStepHook? Current
    {
        get => _current;
        set
        {
            if (!Enabled)
            {
                throw new InvalidOperationException($"set the AppContext switch {SwitchName} before using a ring");
            }

            _current = value;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void At(RingStep step, long position)
    {
        if (Enabled)
        {
            _current?.At(step, position);
        }
    }
}
