using ShmIpc.Codecs;
using ShmIpc.Codecs.FlatBuffers;
using ShmIpc.Codecs.MessagePack;

namespace ShmIpc.Benchmarks.Codecs;

/// <summary>
/// The codecs the benchmarks compare: the four registered ones and the two library-standard paths, or only those named
/// in SHMIPC_BENCH_CODECS (comma-separated, e.g. <c>SHMIPC_BENCH_CODECS=msgpack,raw</c>) for a quicker look at a few.
/// </summary>
internal static class BenchmarkCodecs
{
    private const string OnlyVariable = "SHMIPC_BENCH_CODECS";

    private static readonly string[] AllNames = [.. SnapshotCodecs.Names, FlatBuffersOfficialSnapshotCodec.CodecName, MessagePackTypedSnapshotCodec.CodecName];

    public static IEnumerable<string> Names =>
        Environment.GetEnvironmentVariable(OnlyVariable) is { Length: > 0 } only
            ? AllNames.Intersect(only.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal)
            : AllNames;

    public static ISnapshotCodec Create(string name) => name switch
    {
        FlatBuffersOfficialSnapshotCodec.CodecName => new FlatBuffersOfficialSnapshotCodec(),
        MessagePackTypedSnapshotCodec.CodecName => new MessagePackTypedSnapshotCodec(),
        _ => SnapshotCodecs.Get(name),
    };

    /// <summary>The snapshot every benchmark uses: seeded, so each run and each codec sees the same values.</summary>
    public static MarketSnapshot Snapshot(int instrumentCount) => new SnapshotGenerator().Generate(instrumentCount);

    public static byte[] Encode(ISnapshotCodec codec, MarketSnapshot snapshot)
    {
        byte[] buffer = new byte[codec.GetMaxEncodedLength(snapshot.InstrumentCount)];
        return buffer.AsSpan(0, codec.Encode(snapshot, buffer)).ToArray();
    }
}
