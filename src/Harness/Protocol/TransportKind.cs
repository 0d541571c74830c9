using System.Text.Json.Serialization;

namespace ShmIpc.Harness.Protocol;

/// <summary>
/// The transports the harness compares, in the order it runs them by default. Each one's name (what users type,
/// what the JSON says) is its <see cref="JsonStringEnumMemberNameAttribute"/>; read it with <see cref="EnumNames"/>.
/// </summary>
internal enum TransportKind
{
    [JsonStringEnumMemberName("shm")]
    SharedMemory,

    [JsonStringEnumMemberName("grpc")]
    Grpc,

    [JsonStringEnumMemberName("fb")]
    FlatBuffersHttp2,

    [JsonStringEnumMemberName("msgpack")]
    MessagePackTcp,

    /// <summary>The same MessagePack frames as <see cref="MessagePackTcp"/>, over a Unix domain socket.</summary>
    [JsonStringEnumMemberName("uds")]
    MessagePackUnixSocket,

    /// <summary>The same gRPC service as <see cref="Grpc"/>, over a Unix domain socket (what co-located gRPC services use).</summary>
    [JsonStringEnumMemberName("grpc-uds")]
    GrpcUnixSocket,

    /// <summary>One sender, <see cref="RunSettings.Consumers"/> receiver processes each reading every record of a broadcast ring.</summary>
    [JsonStringEnumMemberName("shm-broadcast")]
    SharedMemoryBroadcast,
}
