namespace ShmIpc.Harness.Protocol;

/// <summary>
/// Room in .NET's shared <see cref="System.Buffers.ArrayPool{T}"/> for a run's child processes, from the run settings
/// alone: a process that drives many connections at once keeps two pooled buffers out per connection while it is
/// busy (a gRPC publisher: Grpc.Net.Client's message buffer and HttpClient's HTTP/2 write buffer, both 16 KiB for a
/// 16 KB snapshot), and the pool keeps only <see cref="RuntimeDefault"/> arrays of a size per partition (a pinned
/// process uses one). The rest are dropped when returned, so every later rent allocates: 4.8 KB a message for gRPC over
/// 256 connections (docs/benchmarks.md, thirteenth session). The runtime reads the variable once, at start; a value
/// the user set is kept.
/// </summary>
internal static class SharedArrayPoolSizing
{
    /// <summary>The runtime's setting for the shared pool's arrays per size and partition (System.Private.CoreLib).</summary>
    public const string Variable = "DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION";

    /// <summary>The runtime's own value since .NET 8.</summary>
    public const int RuntimeDefault = 32;

    /// <summary>Pooled buffers one connection may hold at once: a message being written and a write being sent.</summary>
    public const int BuffersPerConnection = 2;

    /// <summary>Arrays per partition for a process of this run, or null where the runtime's default is room enough.</summary>
    public static int? ArraysPerPartition(RunSettings settings)
    {
        int needed = settings.Connections * BuffersPerConnection; // --connections is at most 4096
        return needed > RuntimeDefault ? needed : null;
    }

    /// <summary>Environment for a child process (sender or receiver) of this run.</summary>
    public static IReadOnlyDictionary<string, string> ProcessEnvironment(RunSettings settings) =>
        ArraysPerPartition(settings) is int arrays && Environment.GetEnvironmentVariable(Variable) is null
            ? new Dictionary<string, string> { [Variable] = arrays.ToString(System.Globalization.CultureInfo.InvariantCulture) }
            : new Dictionary<string, string>();
}
