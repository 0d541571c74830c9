using BenchmarkDotNet.Attributes;
using ShmIpc.Codecs;

namespace ShmIpc.Benchmarks.Codecs;

/// <summary>
/// Encode one snapshot into a span (as the shm producer does into a ring slot), per codec, at 128
/// instruments (~16 KB payload) and 8 (~1 KB).
/// Run: dotnet run -c Release --project src/Benchmarks -- --filter '*CodecEncodeBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[Config(typeof(CodecBenchmarkConfig))]
public class CodecEncodeBenchmarks
{
    private ISnapshotCodec _codec = null!;
    private MarketSnapshot _snapshot = null!;
    private byte[] _destination = [];
    private int _alignedOffset;

    [ParamsSource(nameof(CodecNames))]
    public string Codec { get; set; } = "raw";

    [Params(128, 8)]
    public int Instruments { get; set; }

    public static IEnumerable<string> CodecNames => BenchmarkCodecs.Names;

    [GlobalSetup]
    public void Setup()
    {
        _codec = BenchmarkCodecs.Create(Codec);
        _snapshot = BenchmarkCodecs.Snapshot(Instruments);
        // 64-byte aligned like a ring slot: large copies between buffers misaligned by 8 mod 64 are slow on some CPUs.
        _destination = GC.AllocateArray<byte>(_codec.GetMaxEncodedLength(Instruments) + 64, pinned: true);
        long address = System.Runtime.InteropServices.Marshal.UnsafeAddrOfPinnedArrayElement(_destination, 0).ToInt64();
        _alignedOffset = (int)((64 - (address % 64)) % 64);
    }

    [Benchmark]
    public int Encode() => _codec.Encode(_snapshot, AlignedDestination());

    private Span<byte> AlignedDestination() => _destination.AsSpan(_alignedOffset);
}
