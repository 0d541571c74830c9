namespace ShmIpc.Harness.Protocol;

/// <summary>
/// How a stream-socket receiver (msgpack over TCP, uds) takes its connections' bytes, from the run settings alone: the parent has to know it too,
/// because part of it is an environment variable the receiver process must be started with.
/// </summary>
internal static class ReceiverThreading
{
    /// <summary>
    /// Up to this many TCP connections, each gets its own receive thread (measured: docs/benchmarks.md); a receiver
    /// that cannot know its connections in advance (`serve`) gives threads to this many and runs the rest async.
    /// </summary>
    public const int MaxDedicatedReceiveThreads = 2;

    /// <summary>
    /// A thread blocked in recv() per connection saves a wake-up per message, but hundreds of them sharing the
    /// receiver's CPU thrash it: beyond a few connections the thread-pool loop wins.
    /// </summary>
    public static bool UsesDedicatedThreads(RunSettings settings) => settings.Connections <= MaxDedicatedReceiveThreads;

    /// <summary>
    /// Environment for the receiver process, set when it starts. A TCP receiver on the async loop would have .NET
    /// hand each socket completion from its epoll thread to a thread-pool worker (two wake-ups per message, and
    /// workers spinning for work on the receiver's one CPU); running completions inline on the epoll thread is
    /// .NET's documented switch for such servers, read once at start (figures: docs/harness.md). Only the
    /// stream-socket transports get it: Kestrel schedules its own completions.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ProcessEnvironment(RunSettings settings) =>
        settings.Transport is TransportKind.MessagePackTcp or TransportKind.MessagePackUnixSocket && !UsesDedicatedThreads(settings)
            ? new Dictionary<string, string> { ["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "1" }
            : new Dictionary<string, string>();
}
