using System.Collections.Concurrent;

namespace ShmIpc.NetTransports.Tests;

/// <summary>Collects a subscriber's log lines (SubscriberOptions.Log) for assertions.</summary>
internal sealed class LogLines
{
    private readonly ConcurrentQueue<string> lines = new();

    public Action<string> Sink => lines.Enqueue;

    public IReadOnlyList<string> All => [.. lines];

    public Task<bool> WaitForAsync(string fragment, TimeSpan timeout) =>
        ProcessResources.EventuallyAsync(() => lines.Any(line => line.Contains(fragment, StringComparison.Ordinal)), timeout);
}
