using System.CommandLine;

namespace ShmIpc.Harness.Cli;

/// <summary>The `harness` command tree.</summary>
internal static class HarnessCommandLine
{
    public const string Examples = """

        Examples:
          harness compare                                   the seed article's test: 16k at 50,000 msg/s, 10 s warm-up, 60 s measured
          harness compare --quick                           a first look: 2 s warm-up, 5 s measured
          harness compare --transports shm,msgpack --qps max    flat-out throughput
          harness compare --transports shm --codec fb --runs 5 --format md
          harness sweep --sizes 1k,4k,16k,32k,64k --quick    find the knee
          harness serve --transport msgpack --listen 0.0.0.0:7000     (on one host)
          harness send --transport msgpack --connect HOST:7000 --qps 50k   (on another)
        """;

    public static RootCommand Build()
    {
        var root = new RootCommand("ShmIpc harness: compares inter-process transports (shared memory, gRPC, FlatBuffers/HTTP/2, MessagePack/TCP) "
            + "across real processes at a fixed open-loop rate, with latency from the intended send time." + Examples);
        root.Subcommands.Add(CompareCommand.Build());
        root.Subcommands.Add(SweepCommand.Build());
        root.Subcommands.Add(ReportCommand.Build());
        root.Subcommands.Add(RecommendCommand.Build());
        root.Subcommands.Add(ServeCommand.Build());
        root.Subcommands.Add(SendCommand.Build());
        root.Subcommands.Add(ChildCommand.Build());
        return root;
    }
}
