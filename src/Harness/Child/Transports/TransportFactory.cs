using System.Net;
using ShmIpc.Codecs;
using ShmIpc.Harness.Child.Measurement;
using ShmIpc.Harness.Protocol;
using ShmIpc.NetTransports;
using ShmIpc.NetTransports.FlatBuffersHttp2;
using ShmIpc.NetTransports.Grpc;
using ShmIpc.NetTransports.MessagePackTcp;
using ShmIpc.ShmRing;

namespace ShmIpc.Harness.Child.Transports;

/// <summary>Builds the sender or receiver of the transport a run names, each through its library's public API.</summary>
internal static class TransportFactory
{
    public static Task<ISnapshotReceiver> CreateReceiverAsync(RunSettings settings, LatencyRecording recording)
    {
        var pool = new SnapshotPool(settings.Seed, settings.InstrumentCount, RunSettings.SnapshotPoolSize);
        var verifier = new ContentVerifier(pool);
        SnapshotReceiveSink CreateSink() => new(SnapshotCodecs.Get(settings.Codec), recording.CreateRecorder(), verifier);
        var subscriberOptions = new SubscriberOptions
        {
            EndPoint = new IPEndPoint(IPAddress.Parse(settings.ListenAddress), settings.ListenPort),
            MaxPayloadLength = SnapshotCodecs.Get(settings.Codec).GetMaxEncodedLength(settings.InstrumentCount),
            DedicatedReceiveThreads = ReceiverThreading.UsesDedicatedThreads(settings),
        };
        return settings.Transport switch
        {
            TransportKind.MessagePackTcp => FrameSnapshotReceiver.StartAsync(handler => new TcpFrameSubscriber(handler, subscriberOptions), CreateSink),
            TransportKind.Grpc => GrpcSnapshotReceiver.StartAsync(handler => new GrpcSnapshotSubscriber(handler, subscriberOptions), pool, CreateSink),
            TransportKind.FlatBuffersHttp2 => FrameSnapshotReceiver.StartAsync(handler => new Http2FrameSubscriber(handler, subscriberOptions), CreateSink),
            TransportKind.SharedMemory => Task.FromResult(ShmSnapshotReceiver.Start(SegmentName(settings), ShmRingOptions.For(settings), CreateSink())),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Transport, "not a transport"),
        };
    }

    public static Task<ISnapshotSender> CreateSenderAsync(RunSettings settings, string endpoint)
    {
        ISnapshotCodec codec = SnapshotCodecs.Get(settings.Codec);
        var publisherOptions = new PublisherOptions { ConnectionCount = settings.Connections, BatchBytes = settings.BatchBytes };
        return settings.Transport switch
        {
            TransportKind.MessagePackTcp => FrameSnapshotSender.ConnectAsync(new TcpFramePublisher(EndPoints.Parse(endpoint), publisherOptions), codec, settings.InstrumentCount),
            TransportKind.Grpc => GrpcSnapshotSender.ConnectAsync(new GrpcSnapshotPublisher(EndPoints.Parse(endpoint), publisherOptions)),
            TransportKind.FlatBuffersHttp2 => FrameSnapshotSender.ConnectAsync(new Http2FramePublisher(EndPoints.Parse(endpoint), publisherOptions), codec, settings.InstrumentCount),
            TransportKind.SharedMemory => Task.FromResult<ISnapshotSender>(new ShmSnapshotSender(
                RingProducer.Attach(endpoint, ShmRingOptions.For(settings)), codec, settings.InstrumentCount)),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Transport, "not a transport"),
        };
    }

    private static string SegmentName(RunSettings settings) =>
        settings.SegmentName ?? throw new ArgumentException("the shm transport needs a segment name", nameof(settings));
}
