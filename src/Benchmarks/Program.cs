using BenchmarkDotNet.Running;
using ShmIpc.Benchmarks.Ring;

namespace ShmIpc.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project src/Benchmarks -- ring-latency|ring-throughput [options]</c>: the cross-process
/// ring benchmark (see Ring/RingBenchmarkOptions). Anything else goes to the BenchmarkDotNet suites, e.g.
/// <c>-- --filter '*'</c>.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] is "ring-latency" or "ring-throughput" or RingBenchmarkConsumer.Command)
        {
            return RingBenchmark.Run(args);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
