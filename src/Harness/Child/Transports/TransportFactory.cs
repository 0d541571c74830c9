using System.Net;
using System.Net.Sockets;
using ShmIpc.Codecs;
using ShmIpc.Harness.Child.Measurement;
using ShmIpc.Harness.Protocol;
using ShmIpc.NetTransports;
using ShmIpc.NetTransports.Http2;
using ShmIpc.NetTransports.Grpc;
using ShmIpc.NetTransports.Tcp;
using ShmIpc.NetTransports.UnixSockets;
using ShmIpc.ShmRing;

namespace ShmIpc.Harness.Child.Transports;

/// <summary>
/// Builds the sender or receiver of the transport a run names, each through its library's public API. A transport
/// that cannot be set up (no listener, a port in use, a segment that cannot be created or attached) is a
/// <see cref="TransportFaultException"/>.
/// </summary>
internal static class TransportFactory
{
    public static Task<ISnapshotReceiver> CreateReceiverAsync(RunSettings settings, LatencyRecording recording)
    {
        var pool = new SnapshotPool(settings.Seed, settings.InstrumentCount, RunSettings.SnapshotPoolSize);
        var verifier = new ContentVerifier(pool);
        SnapshotReceiveSink CreateSink() => new(SnapshotCodecs.Get(settings.Codec), recording.CreateRecorder(), verifier, settings.InjectedReceiveDelay);
        var defaults = new SubscriberOptions();
        var subscriberOptions = new SubscriberOptions
        {
            EndPoint = settings.UsesUnixSocket
                ? UnixSocketEndPoint(settings)
                : new IPEndPoint(IPAddress.Parse(settings.ListenAddress), settings.ListenPort),
            // Any valid encoding, not only ours (the official FlatBufferBuilder's, a MessagePack writer's wider integers), so
            // not the codec's own maximum: a bound on memory the user may set.
            MaxPayloadLength = settings.MaxFrameBytes ?? defaults.MaxPayloadLength,
            MaxConnections = settings.MaxConnections ?? defaults.MaxConnections,
            FrameReadTimeout = settings.FrameReadTimeout ?? defaults.FrameReadTimeout,
            IdleTimeout = settings.IdleTimeout ?? defaults.IdleTimeout,
            DedicatedReceiveThreads = ReceiverThreading.UsesDedicatedThreads(settings),
            MaxDedicatedReceiveThreads = ReceiverThreading.MaxDedicatedReceiveThreads,
        };
        return settings.Transport switch
        {
            TransportKind.MessagePackTcp => FrameSnapshotReceiver.StartAsync(settings.Transport, handler => new TcpFrameSubscriber(handler, subscriberOptions), CreateSink),
            TransportKind.MessagePackUnixSocket => FrameSnapshotReceiver.StartAsync(settings.Transport, handler => new UnixSocketFrameSubscriber(handler, subscriberOptions), CreateSink),
            TransportKind.Grpc or TransportKind.GrpcUnixSocket => FrameSnapshotReceiver.StartAsync(settings.Transport, handler => new GrpcFrameSubscriber(handler, subscriberOptions), CreateSink),
            TransportKind.FlatBuffersHttp2 => FrameSnapshotReceiver.StartAsync(settings.Transport, handler => new Http2FrameSubscriber(handler, subscriberOptions), CreateSink),
            TransportKind.SharedMemory => Task.FromResult(WithRing(settings.Transport, () => ShmSnapshotReceiver.Start(SegmentName(settings), ShmRingOptions.For(settings), CreateSink()))),
            TransportKind.SharedMemoryBroadcast => Task.FromResult(WithRing(settings.Transport, () => BroadcastSnapshotReceiver.Start(SegmentName(settings), ShmRingOptions.For(settings), CreateSink()))),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Transport, "not a transport"),
        };
    }

    public static Task<ISnapshotSender> CreateSenderAsync(RunSettings settings, string endpoint)
    {
        ISnapshotCodec codec = SnapshotCodecs.Get(settings.Codec);
        var publisherOptions = new PublisherOptions { ConnectionCount = settings.Connections, BatchBytes = settings.BatchBytes };
        return settings.Transport switch
        {
            TransportKind.MessagePackTcp => FrameSnapshotSender.ConnectAsync(settings.Transport, FramePublisher.CreateTcp(EndPoints.Parse(endpoint), publisherOptions), codec, settings.InstrumentCount),
            TransportKind.MessagePackUnixSocket => FrameSnapshotSender.ConnectAsync(settings.Transport, FramePublisher.CreateUnixSocket(UnixSocketEndPoint(settings.Transport, endpoint), publisherOptions), codec, settings.InstrumentCount),
            TransportKind.Grpc => GrpcSnapshotSender.ConnectAsync(settings.Transport, new GrpcFramePublisher(EndPoints.Parse(endpoint), publisherOptions), settings.Codec),
            TransportKind.GrpcUnixSocket => GrpcSnapshotSender.ConnectAsync(settings.Transport, new GrpcFramePublisher(UnixSocketEndPoint(settings.Transport, endpoint), publisherOptions), settings.Codec),
            TransportKind.FlatBuffersHttp2 => FrameSnapshotSender.ConnectAsync(settings.Transport, FramePublisher.CreateHttp2(EndPoints.Parse(endpoint), publisherOptions), codec, settings.InstrumentCount),
            TransportKind.SharedMemory => Task.FromResult<ISnapshotSender>(new ShmSnapshotSender(settings.Transport,
                WithRing(settings.Transport, () => RingProducer.Attach(endpoint, ShmRingOptions.For(settings))), codec, settings.InstrumentCount, settings.ShmPretouch)),
            // The broadcast's producer creates the segment; its consumers join it (the parent starts the sender first).
            TransportKind.SharedMemoryBroadcast => Task.FromResult<ISnapshotSender>(new ShmSnapshotSender(settings.Transport,
                WithRing(settings.Transport, () => RingProducer.Create(endpoint, ShmRingOptions.For(settings))), codec, settings.InstrumentCount, settings.ShmPretouch)),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Transport, "not a transport"),
        };
    }

    /// <summary>Where a uds receiver listens: the path the run names, or one named by this process in the default socket directory.</summary>
    private static UnixDomainSocketEndPoint UnixSocketEndPoint(RunSettings settings) =>
        UnixSocketEndPoint(settings.Transport, EndPoints.UnixSocketPrefix + (settings.ListenSocketPath
            ?? Path.Combine(UnixSocketPath.DefaultDirectory, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"harness-{Environment.ProcessId}.sock"))));

    /// <summary>A unix:PATH endpoint; a path that breaks the socket-path rule is the harness's fault, in the library's words.</summary>
    private static UnixDomainSocketEndPoint UnixSocketEndPoint(TransportKind transport, string endpoint) =>
        EndPoints.TryParseUnixSocket(endpoint, out UnixDomainSocketEndPoint? endPoint, out string error)
            ? endPoint!
            : throw new TransportFaultException(transport, error);

    /// <summary>Creates or attaches a ring; the ring's own exception becomes the harness's fault.</summary>
    private static T WithRing<T>(TransportKind transport, Func<T> open)
    {
        try
        {
            return open();
        }
        catch (RingException exception)
        {
            throw new TransportFaultException(transport, exception.Message, exception);
        }
    }

    private static string SegmentName(RunSettings settings) =>
        settings.SegmentName ?? throw new ArgumentException("the shm transport needs a segment name", nameof(settings));
}
