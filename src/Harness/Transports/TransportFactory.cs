using System.Globalization;
using System.Net;
using ShmIpc.Codecs;
using ShmIpc.Harness.Configuration;
using ShmIpc.Harness.Measurement;
using ShmIpc.NetTransports;
using ShmIpc.NetTransports.Http2;
using ShmIpc.NetTransports.Grpc;
using ShmIpc.NetTransports.Tcp;
using ShmIpc.ShmRing;

namespace ShmIpc.Harness.Transports;

/// <summary>Builds the sender or receiver of the transport a run names, each through its library's public API.</summary>
internal static class TransportFactory
{
    /// <summary>Up to this many TCP connections, each gets its own receive thread (measured: docs/benchmarks.md).</summary>
    private const int MaxDedicatedReceiveThreads = 2;

    /// <summary>
    /// Environment for the receiver process, set when it starts. A TCP receiver with more connections than dedicated
    /// threads uses the async loop; .NET then hands each socket completion from its epoll thread to a thread-pool
    /// worker (two wake-ups per message, and workers spinning for work on the receiver's one CPU). Running
    /// completions inline on the epoll thread is .NET's documented switch for such servers (read once, at start).
    /// Measured at 16 KB, 256 connections: 10,000 msg/s p50 97 -> 35 µs and receiver CPU 99 -> 20 %; 50,000 msg/s
    /// p50 637 -> 78 µs. Only the TCP transport gets it: Kestrel schedules its own completions.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ReceiverEnvironment(RunSettings settings) =>
        settings.Transport == TransportNames.MessagePackTcp && settings.Connections > MaxDedicatedReceiveThreads
            ? new Dictionary<string, string> { ["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "1" }
            : new Dictionary<string, string>();

    public static Task<ISnapshotReceiver> CreateReceiverAsync(RunSettings settings, LatencyRecording recording)
    {
        var pool = new SnapshotPool(settings.Seed, settings.InstrumentCount, RunSettings.SnapshotPoolSize);
        var verifier = new ContentVerifier(pool);
        SnapshotReceiveSink CreateSink() => new(SnapshotCodecs.Get(settings.Codec), recording.CreateRecorder(), verifier);
        var subscriberOptions = new SubscriberOptions
        {
            EndPoint = new IPEndPoint(IPAddress.Parse(settings.ListenAddress), settings.ListenPort),
            MaxPayloadLength = SnapshotCodecs.Get(settings.Codec).GetMaxEncodedLength(settings.InstrumentCount),
            // A thread blocked in recv() per connection saves a wake-up per message, but hundreds of them
            // sharing the receiver's CPU thrash it: beyond a few connections the thread-pool loop wins.
            DedicatedReceiveThreads = settings.Connections <= MaxDedicatedReceiveThreads,
        };
        return settings.Transport switch
        {
            TransportNames.MessagePackTcp => FrameSnapshotReceiver.StartAsync(handler => new TcpFrameSubscriber(handler, subscriberOptions), CreateSink),
            TransportNames.Grpc => GrpcSnapshotReceiver.StartAsync(handler => new GrpcSnapshotSubscriber(handler, subscriberOptions), pool, CreateSink),
            TransportNames.FlatBuffersHttp2 => FrameSnapshotReceiver.StartAsync(handler => new Http2FrameSubscriber(handler, subscriberOptions), CreateSink),
            TransportNames.SharedMemory => Task.FromResult(ShmSnapshotReceiver.Start(SegmentName(settings), ShmRingOptions.For(settings), CreateSink())),
            _ => throw new ArgumentException($"transport '{settings.Transport}' is not available in this build", nameof(settings)),
        };
    }

    public static Task<ISnapshotSender> CreateSenderAsync(RunSettings settings, string endpoint)
    {
        ISnapshotCodec codec = SnapshotCodecs.Get(settings.Codec);
        var publisherOptions = new PublisherOptions { ConnectionCount = settings.Connections, BatchBytes = settings.BatchBytes };
        return settings.Transport switch
        {
            TransportNames.MessagePackTcp => FrameSnapshotSender.ConnectAsync(FramePublisher.CreateTcp(EndPoints.Parse(endpoint), publisherOptions), codec, settings.InstrumentCount),
            TransportNames.Grpc => GrpcSnapshotSender.ConnectAsync(new GrpcSnapshotPublisher(EndPoints.Parse(endpoint), publisherOptions)),
            TransportNames.FlatBuffersHttp2 => FrameSnapshotSender.ConnectAsync(FramePublisher.CreateHttp2(EndPoints.Parse(endpoint), publisherOptions), codec, settings.InstrumentCount),
            TransportNames.SharedMemory => Task.FromResult<ISnapshotSender>(new ShmSnapshotSender(
                RingProducer.Attach(endpoint, ShmRingOptions.For(settings)), codec, settings.InstrumentCount)),
            _ => throw new ArgumentException($"transport '{settings.Transport}' is not available in this build", nameof(settings)),
        };
    }

    private static string SegmentName(RunSettings settings) =>
        settings.SegmentName ?? string.Create(CultureInfo.InvariantCulture, $"shmipc-harness-{Environment.ProcessId}");
}
