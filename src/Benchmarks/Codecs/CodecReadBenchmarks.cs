using System.Buffers;
using BenchmarkDotNet.Attributes;
using ShmIpc.Codecs;

namespace ShmIpc.Benchmarks.Codecs;

/// <summary>
/// Validate and read every field of one encoded snapshot, per codec, at 128 and 8 instruments:
/// from a contiguous span (a ring slot) and from a sequence split in two segments (a socket buffer).
/// Run: dotnet run -c Release --project src/Benchmarks -- --filter '*CodecReadBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[Config(typeof(CodecBenchmarkConfig))]
public class CodecReadBenchmarks
{
    private ISnapshotCodec _codec = null!;
    private byte[] _encoded = [];
    private ReadOnlySequence<byte> _split;

    [ParamsSource(nameof(CodecNames))]
    public string Codec { get; set; } = "raw";

    [Params(128, 8)]
    public int Instruments { get; set; }

    public static IEnumerable<string> CodecNames => BenchmarkCodecs.Names;

    [GlobalSetup]
    public void Setup()
    {
        _codec = BenchmarkCodecs.Create(Codec);
        _encoded = BenchmarkCodecs.Encode(_codec, BenchmarkCodecs.Snapshot(Instruments));
        _split = TwoSegments(_encoded);
    }

    [Benchmark(Baseline = true)]
    public SnapshotDigest ReadEveryFieldSpan() => _codec.ReadEveryField(_encoded);

    [Benchmark]
    public SnapshotDigest ReadEveryFieldSplitSequence() => _codec.ReadEveryField(_split);

    private static ReadOnlySequence<byte> TwoSegments(byte[] encoded)
    {
        int half = encoded.Length / 2;
        var first = new Segment(encoded.AsMemory(0, half), 0);
        var second = new Segment(encoded.AsMemory(half), half);
        first.SetNext(second);
        return new ReadOnlySequence<byte>(first, 0, second, second.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void SetNext(Segment next) => Next = next;
    }
}
