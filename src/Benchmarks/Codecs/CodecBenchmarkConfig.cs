using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;

namespace ShmIpc.Benchmarks.Codecs;

/// <summary>
/// Codec benchmarks: memory diagnoser on the classes, plus the encoded-size column and the median (on this host's
/// shared CPUs a neighbour's burst lifts a run of iterations, and the mean with them; the median is what we quote).
/// </summary>
public sealed class CodecBenchmarkConfig : ManualConfig
{
    public CodecBenchmarkConfig()
    {
        AddColumn(new EncodedSizeColumn());
        AddColumn(StatisticColumn.Median);
    }
}
