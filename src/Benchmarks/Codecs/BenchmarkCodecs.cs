using ShmIpc.Codecs;
using ShmIpc.Codecs.FlatBuffers;
using ShmIpc.Codecs.MessagePack;

namespace ShmIpc.Benchmarks.Codecs;

/// <summary>The codecs the benchmarks compare: the four registered ones and the two library-standard paths.</summary>
internal static class BenchmarkCodecs
{
    public static IEnumerable<string> Names => [.. SnapshotCodecs.Names, FlatBuffersOfficialSnapshotCodec.CodecName, MessagePackTypedSnapshotCodec.CodecName];

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
