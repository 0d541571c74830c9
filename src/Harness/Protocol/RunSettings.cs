using ShmIpc.Codecs.FlatBuffers;
using ShmIpc.Codecs.MessagePack;
using ShmIpc.Codecs.Protobuf;
using ShmIpc.Codecs.Raw;

namespace ShmIpc.Harness.Protocol;

/// <summary>
/// Everything one transport run needs, handed to the sender and receiver processes as JSON. Made in one place,
/// <see cref="For"/>. Both processes build the same snapshots from <see cref="Seed"/>, so payloads are identical
/// for every transport.
/// </summary>
internal sealed record RunSettings
{
    public required TransportKind Transport { get; init; }

    /// <summary>A codec name as the Codecs registry knows it: the shm transport's choice, or the network transport's own.</summary>
    public required string Codec { get; init; }

    /// <summary>The nominal payload size the user asked for (16k); the instrument count follows from it.</summary>
    public required int PayloadBytes { get; init; }

    public int InstrumentCount => Math.Max(1, PayloadBytes / BytesPerInstrument);

    /// <summary>Offered rate; null means flat out (as fast as the transport takes messages).</summary>
    public double? MessagesPerSecond { get; init; }

    public required TimeSpan Warmup { get; init; }

    public required TimeSpan Duration { get; init; }

    /// <summary>Client connections for the network transports (the seed article used 256).</summary>
    public required int Connections { get; init; }

    /// <summary>Bytes a network sender that is behind may hold and send in one write (0: every message at once).</summary>
    public required int BatchBytes { get; init; }

    public int? SenderCpu { get; init; }

    public int? ReceiverCpu { get; init; }

    public ulong Seed { get; init; } = 20261127;

    /// <summary>Where the network receiver listens: 127.0.0.1 by default; 0.0.0.0 for a remote sender.</summary>
    public string ListenAddress { get; init; } = "127.0.0.1";

    public int ListenPort { get; init; }

    /// <summary>
    /// Where a uds receiver listens, a socket path; null: <c>harness-PID.sock</c> (PID: the receiver's) in the
    /// transport library's default socket directory. The sender learns it from the receiver, as it learns a port.
    /// </summary>
    public string? ListenSocketPath { get; init; }

    /// <summary>
    /// The largest frame or message a network receiver accepts, in bytes (<c>serve --max-frame</c>); null: the transport
    /// library's default. Not the codec's own maximum: other valid encodings of a snapshot are larger.
    /// </summary>
    public int? MaxFrameBytes { get; init; }

    /// <summary>Connections a network receiver serves at once (<c>serve --max-connections</c>); null: the library's default.</summary>
    public int? MaxConnections { get; init; }

    /// <summary>How long a begun frame may take to complete (<c>serve --frame-timeout</c>); null: the library's default.</summary>
    public TimeSpan? FrameReadTimeout { get; init; }

    /// <summary>How long a connection may send nothing between frames (<c>serve --idle-timeout</c>); null: the library's default (none).</summary>
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>The /dev/shm segment name for the shm transports (chosen by the parent, so it can clean up).</summary>
    public string? SegmentName { get; init; }

    public required ShmWaitStrategy ShmWait { get; init; }

    /// <summary>Whether the shm senders pretouch the space of their next claim while they wait for it (<c>--shm-pretouch</c>).</summary>
    public bool ShmPretouch { get; init; } = true;

    /// <summary>Receiver processes of the shm-broadcast transport, each a consumer of the same ring (<c>--consumers</c>).</summary>
    public int Consumers { get; init; } = 1;

    /// <summary>What the shm-broadcast sender does about a consumer a lap behind (<c>--broadcast-policy</c>).</summary>
    public BroadcastPolicy BroadcastPolicy { get; init; } = BroadcastPolicy.Lossless;

    /// <summary>Whether each process also samples which types it allocates in the window (<c>--alloc-sources</c>).</summary>
    public bool SampleAllocationSources { get; init; }

    /// <summary>A test hook (hidden option <c>--slow-sender</c>): the sender spends this long more on every message.</summary>
    public TimeSpan InjectedSendDelay { get; init; }

    /// <summary>A test hook (hidden option <c>--slow-receiver</c>): the receiver spends this long more on every message.</summary>
    public TimeSpan InjectedReceiveDelay { get; init; }

    /// <summary>The `harness` process that started this run's children (lets tests and tools find them).</summary>
    public int ParentProcessId { get; init; } = Environment.ProcessId;

    /// <summary>Nominal bytes per instrument: 16 KiB ↔ 128 instruments, 1 KiB ↔ 8, as in the seed article.</summary>
    public const int BytesPerInstrument = 128;

    /// <summary>How many distinct pre-generated snapshots the sender cycles through.</summary>
    public const int SnapshotPoolSize = 16;

    /// <summary>
    /// The settings of one transport at one payload size, with the options every run shares. Where the receiver
    /// is (<see cref="SegmentName"/>, <see cref="ListenAddress"/>) is added by whoever decides it.
    /// </summary>
    /// <summary>Whether the transport is a ring in /dev/shm, named by <see cref="SegmentName"/>.</summary>
    public bool UsesSegment => Transport is TransportKind.SharedMemory or TransportKind.SharedMemoryBroadcast;

    /// <summary>Whether the transport listens on a Unix socket (<see cref="ListenSocketPath"/>; a sender's endpoint is unix:PATH).</summary>
    public bool UsesUnixSocket => Transport is TransportKind.MessagePackUnixSocket or TransportKind.GrpcUnixSocket;

    public static RunSettings For(TransportKind transport, int payloadBytes, RunOptions options) => new()
    {
        Transport = transport,
        Codec = CodecOf(transport, options.Codec),
        PayloadBytes = payloadBytes,
        MessagesPerSecond = options.MessagesPerSecond,
        Warmup = options.Warmup,
        Duration = options.Duration,
        Connections = options.Connections,
        BatchBytes = options.BatchBytes,
        SenderCpu = options.Pin?.Sender,
        ReceiverCpu = options.Pin?.Receiver,
        ShmWait = options.ShmWait,
        ShmPretouch = options.ShmPretouch,
        SampleAllocationSources = options.SampleAllocationSources,
        InjectedSendDelay = options.InjectedSendDelay,
        InjectedReceiveDelay = options.InjectedReceiveDelay,
        Consumers = transport == TransportKind.SharedMemoryBroadcast ? options.Consumers : 1,
        BroadcastPolicy = options.BroadcastPolicy,
    };

    /// <summary>An upper bound on the messages a run can send (sizes the receiver's exactly-once bitmap).</summary>
    public long MaximumMessages()
    {
        double seconds = (Warmup + Duration).TotalSeconds + 5;
        double rate = MessagesPerSecond ?? 5_000_000;
        return (long)Math.Max(1024, seconds * rate * 1.1);
    }

    /// <summary>
    /// The codec a transport carries given --codec (null: not given). shm carries the one chosen, raw by default; gRPC
    /// carries snapshot.proto's messages, in place by default or through Google.Protobuf's generated classes when
    /// --codec protobuf-classes is chosen; the other network transports are defined by theirs.
    /// </summary>
    public static string CodecOf(TransportKind transport, string? codec) => transport switch
    {
        TransportKind.SharedMemory or TransportKind.SharedMemoryBroadcast => codec ?? RawSnapshotCodec.CodecName,
        TransportKind.Grpc or TransportKind.GrpcUnixSocket => codec == ProtobufClassesSnapshotCodec.CodecName ? codec : ProtobufSnapshotCodec.CodecName,
        TransportKind.FlatBuffersHttp2 => FlatBuffersSnapshotCodec.CodecName,
        TransportKind.MessagePackTcp or TransportKind.MessagePackUnixSocket => MessagePackSnapshotCodec.CodecName,
        _ => throw new ArgumentOutOfRangeException(nameof(transport), transport, "not a transport"),
    };
}
