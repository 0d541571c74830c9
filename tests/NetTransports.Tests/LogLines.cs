using System.Collections.Concurrent;

namespace ShmIpc.NetTransports.Tests;

/// <summary>Collects a subscriber's log lines (SubscriberOptions.Log) for assertions.</summary>
internal sealed class LogLines
{
    private readonly ConcurrentQueue<string> _lines = new();

    public Action<string> Sink => _lines.Enqueue;

    public IReadOnlyList<string> All => [.. _lines];

    public Task<bool> WaitForAsync(string fragment, TimeSpan timeout) =>
        ProcessResources.EventuallyAsync(() => _lines.Any(line => line.Contains(fragment, StringComparison.Ordinal)), timeout);
}
