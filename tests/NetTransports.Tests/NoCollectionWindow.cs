using System.Runtime;

namespace ShmIpc.NetTransports.Tests;

/// <summary>
/// A stretch of a test in which no garbage collection runs (the runtime's no-GC region), so no finalizer can close a
/// socket meanwhile: a socket that closes inside it was closed by code, not by a finalizer collecting what code leaked.
/// </summary>
internal sealed class NoCollectionWindow : IDisposable
{
    // Far more than the stretch allocates (a few connections, log lines, /proc polls); running out ends the window
    // with a collection, which AssertNoneRan reports.
    private const long AllocationBudgetBytes = 64L * 1024 * 1024;

    private NoCollectionWindow()
    {
    }

    /// <summary>Collects, runs the finalizers of what was already unreachable, then opens the window.</summary>
    public static NoCollectionWindow Open()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.True(GC.TryStartNoGCRegion(AllocationBudgetBytes), "the runtime refused a no-GC region");
        // Opening may itself collect: those finalizers run now, before the test takes its counts.
        GC.WaitForPendingFinalizers();
        return new NoCollectionWindow();
    }

    /// <summary>Fails the test if a collection has run since <see cref="Open"/> (its finalizers could explain what was observed).</summary>
    public static void AssertNoneRan(string observed) =>
        Assert.True(
            GCSettings.LatencyMode == GCLatencyMode.NoGCRegion,
            $"a garbage collection ran before {observed}: a finalizer may have done what the code should have");

    public void Dispose()
    {
        if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
        {
            GC.EndNoGCRegion();
        }
    }
}
