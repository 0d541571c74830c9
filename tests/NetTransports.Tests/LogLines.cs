using System.Collections.Concurrent;

namespace ShmIpc.NetTransports.Tests;

/// <summary>Collects a subscriber's log lines (SubscriberOptions.Log) for assertions.</summary>
internal sealed class LogLines
{
    private readonly ConcurrentQueue<string> _lines = new();

    public Action<string> Sink => _lines.Enqueue;

    public IReadOnlyList<string> All => [.. _lines];

    /// <summary>Returns once a line contains <paramref name="fragment"/>; fails the test, listing the lines, if none does within <paramref name="timeout"/>.</summary>
    public Task WaitForAsync(string fragment, TimeSpan timeout) =>
        Eventually.HoldsAsync(
            () => _lines.Any(line => line.Contains(fragment, StringComparison.Ordinal)),
            timeout,
            () => $"a log line containing '{fragment}'; log: {string.Join(" | ", All)}");
}
