using System.Runtime.CompilerServices;

namespace ShmIpc.ShmRing.Tests.Support;

/// <summary>Turns the ring's step hooks on for this test assembly, before any test touches a ring.</summary>
internal static class StepHookSwitch
{
#pragma warning disable CA2255 // a test assembly, not a library: the switch must be set before RingStepHooks is first used
    [ModuleInitializer]
    internal static void Enable() => AppContext.SetSwitch(RingStepHooks.SwitchName, true);
#pragma warning restore CA2255
}
