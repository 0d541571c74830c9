using System.Globalization;
using System.Net;
using ShmIpc.Codecs;
using ShmIpc.Harness.Configuration;
using ShmIpc.Harness.Measurement;
using ShmIpc.NetTransports;
using ShmIpc.NetTransports.FlatBuffersHttp2;
using ShmIpc.NetTransports.Grpc;
using ShmIpc.NetTransports.MessagePackTcp;
using ShmIpc.ShmRing;

namespace ShmIpc.Harness.Transports;

/// <summary>Builds the sender or receiver of the transport a run names, each through its library's public API.</summary>
internal static class TransportFactory
{
    public static Task<ISnapshotReceiver> CreateReceiverAsync(RunSettings settings, LatencyRecorder recorder)
    {
        var pool = new SnapshotPool(settings.Seed, settings.InstrumentCount, RunSettings.SnapshotPoolSize);
        var verifier = new ContentVerifier(pool);
        SnapshotReceiveSink CreateSink() => new(SnapshotCodecs.Get(settings.Codec), recorder, verifier);
        var subscriberOptions = new SubscriberOptions
        {
            EndPoint = new IPEndPoint(IPAddress.Parse(settings.ListenAddress), settings.ListenPort),
            MaxPayloadLength = SnapshotCodecs.Get(settings.Codec).GetMaxEncodedLength(settings.InstrumentCount),
        };
        return settings.Transport switch
        {
            TransportNames.MessagePackTcp => FrameSnapshotReceiver.StartAsync(handler => new TcpFrameSubscriber(handler, subscriberOptions), CreateSink),
            TransportNames.Grpc => GrpcSnapshotReceiver.StartAsync(handler => new GrpcSnapshotSubscriber(handler, subscriberOptions), pool, CreateSink),
            TransportNames.FlatBuffersHttp2 => FrameSnapshotReceiver.StartAsync(handler => new Http2FrameSubscriber(handler, subscriberOptions), CreateSink),
            TransportNames.SharedMemory => Task.FromResult<ISnapshotReceiver>(new ShmSnapshotReceiver(
                RingConsumer.Create(SegmentName(settings), ShmRingOptions.For(settings)), CreateSink())),
            _ => throw new ArgumentException($"transport '{settings.Transport}' is not available in this build", nameof(settings)),
        };
    }

    public static Task<ISnapshotSender> CreateSenderAsync(RunSettings settings, string endpoint)
    {
        ISnapshotCodec codec = SnapshotCodecs.Get(settings.Codec);
        var publisherOptions = new PublisherOptions { ConnectionCount = settings.Connections };
        return settings.Transport switch
        {
            TransportNames.MessagePackTcp => FrameSnapshotSender.ConnectAsync(new TcpFramePublisher(ParseEndPoint(endpoint), publisherOptions), codec, settings.InstrumentCount),
            TransportNames.Grpc => GrpcSnapshotSender.ConnectAsync(new GrpcSnapshotPublisher(ParseEndPoint(endpoint), publisherOptions)),
            TransportNames.FlatBuffersHttp2 => FrameSnapshotSender.ConnectAsync(new Http2FramePublisher(ParseEndPoint(endpoint), publisherOptions), codec, settings.InstrumentCount),
            TransportNames.SharedMemory => Task.FromResult<ISnapshotSender>(new ShmSnapshotSender(
                RingProducer.Attach(endpoint, ShmRingOptions.For(settings)), codec, settings.InstrumentCount)),
            _ => throw new ArgumentException($"transport '{settings.Transport}' is not available in this build", nameof(settings)),
        };
    }

    private static string SegmentName(RunSettings settings) =>
        settings.SegmentName ?? string.Create(CultureInfo.InvariantCulture, $"shmipc-harness-{Environment.ProcessId}");

    private static IPEndPoint ParseEndPoint(string endpoint)
    {
        int colon = endpoint.LastIndexOf(':');
        if (colon <= 0
            || !IPAddress.TryParse(endpoint[..colon].Trim('[', ']'), out IPAddress? address)
            || !int.TryParse(endpoint[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port))
        {
            throw new ArgumentException($"'{endpoint}' is not an address:port", nameof(endpoint));
        }
        return new IPEndPoint(address, port);
    }
}
