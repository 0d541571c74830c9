using ShmIpc.Codecs.FlatBuffers;
using ShmIpc.Codecs.MessagePack;
using ShmIpc.Codecs.Protobuf;
using ShmIpc.Codecs.Raw;

namespace ShmIpc.Codecs;

/// <summary>
/// The codecs by name. <see cref="Get"/> returns a NEW instance on every call because codecs keep
/// reusable scratch state and are not thread-safe: take one per thread.
/// </summary>
public static class SnapshotCodecs
{
    /// <summary>Every registered name, in the order reports list them.</summary>
    public static IReadOnlyList<string> Names { get; } = [RawSnapshotCodec.CodecName, FlatBuffersSnapshotCodec.CodecName, MessagePackSnapshotCodec.CodecName, ProtobufSnapshotCodec.CodecName, ProtobufClassesSnapshotCodec.CodecName];

    /// <summary>A new instance of the codec called <paramref name="name"/> (case-insensitive).</summary>
    public static ISnapshotCodec Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.ToUpperInvariant() switch
        {
            "RAW" => new RawSnapshotCodec(),
            "FB" => new FlatBuffersSnapshotCodec(),
            "MSGPACK" => new MessagePackSnapshotCodec(),
            "PROTOBUF" => new ProtobufSnapshotCodec(),
            "PROTOBUF-CLASSES" => new ProtobufClassesSnapshotCodec(),
            _ => throw new ArgumentException($"unknown codec '{name}'; known: {string.Join(", ", Names)}", nameof(name)),
        };
    }

    /// <summary>A new instance of every codec, in <see cref="Names"/> order.</summary>
    public static IReadOnlyList<ISnapshotCodec> CreateAll() => [.. Names.Select(Get)];
}
