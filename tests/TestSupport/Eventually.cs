using System.Diagnostics;

namespace ShmIpc.TestSupport;

/// <summary>
/// Polls a condition that another thread or process makes true. A wait that runs out fails the test with what it
/// was waiting for: a timeout never passes quietly into the assertions after it.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>Returns once <paramref name="condition"/> holds; throws <see cref="TimeoutException"/> naming <paramref name="waitingFor"/> if it does not within <paramref name="timeout"/>.</summary>
    public static async Task HoldsAsync(Func<bool> condition, TimeSpan timeout, Func<string> waitingFor)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(waitingFor);
        var elapsed = Stopwatch.StartNew();
        while (!condition())
        {
            if (elapsed.Elapsed > timeout)
            {
                throw new TimeoutException($"still not true after {timeout.TotalSeconds:0.#} s: {waitingFor()}");
            }

            await Task.Delay(PollInterval).ConfigureAwait(false);
        }
    }

    /// <summary>The same with a fixed description.</summary>
    public static Task HoldsAsync(Func<bool> condition, TimeSpan timeout, string waitingFor) =>
        HoldsAsync(condition, timeout, () => waitingFor);
}
