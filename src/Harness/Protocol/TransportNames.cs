namespace ShmIpc.Harness.Protocol;

/// <summary>The transports the harness compares, by the names users type, and the codec each carries.</summary>
internal static class TransportNames
{
    public const string SharedMemory = "shm";
    public const string Grpc = "grpc";
    public const string FlatBuffersHttp2 = "fb";
    public const string MessagePackTcp = "msgpack";

    public static IReadOnlyList<string> All { get; } = [SharedMemory, Grpc, FlatBuffersHttp2, MessagePackTcp];

    /// <summary>Codec names as the Codecs registry knows them.</summary>
    public static IReadOnlyList<string> Codecs => ShmIpc.Codecs.SnapshotCodecs.Names;

    /// <summary>The codec a network transport is defined by; shm carries any codec (raw by default).</summary>
    public static string DefaultCodec(string transport) => transport switch
    {
        SharedMemory => "raw",
        Grpc => "protobuf",
        FlatBuffersHttp2 => "fb",
        MessagePackTcp => "msgpack",
        _ => throw new ArgumentException($"unknown transport '{transport}'", nameof(transport)),
    };
}
