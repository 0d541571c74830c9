using ShmIpc.Codecs;
using ShmIpc.Harness.Configuration;
using ShmIpc.Harness.Measurement;

namespace ShmIpc.Harness.Transports;

/// <summary>Builds the sender or receiver of the transport a run names.</summary>
internal static class TransportFactory
{
    public static Task<ISnapshotReceiver> CreateReceiverAsync(RunSettings settings, LatencyRecorder recorder)
    {
        var pool = new SnapshotPool(settings.Seed, settings.InstrumentCount, RunSettings.SnapshotPoolSize);
        var verifier = new ContentVerifier(pool);
        Func<SnapshotReceiveSink> sinks = () => new SnapshotReceiveSink(SnapshotCodecs.Get(settings.Codec), recorder, verifier);
        return settings.Transport switch
        {
            _ => throw new ArgumentException($"transport '{settings.Transport}' is not available in this build", nameof(settings)),
        };
    }

    public static Task<ISnapshotSender> CreateSenderAsync(RunSettings settings, string endpoint)
    {
        ISnapshotCodec codec = SnapshotCodecs.Get(settings.Codec);
        return settings.Transport switch
        {
            _ => throw new ArgumentException($"transport '{settings.Transport}' is not available in this build ({codec.Name}, {endpoint})", nameof(settings)),
        };
    }
}
