using BenchmarkDotNet.Configs;

namespace ShmIpc.Benchmarks.Codecs;

/// <summary>Codec benchmarks: memory diagnoser on the classes, plus the encoded-size column.</summary>
public sealed class CodecBenchmarkConfig : ManualConfig
{
    public CodecBenchmarkConfig()
    {
        AddColumn(new EncodedSizeColumn());
    }
}
