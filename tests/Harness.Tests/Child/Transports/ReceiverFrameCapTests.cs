using System.Buffers;
using System.Net;
using MessagePack;
using ShmIpc.Codecs;
using ShmIpc.Codecs.FlatBuffers;
using ShmIpc.Codecs.MessagePack;
using ShmIpc.Harness.Child.Measurement;
using ShmIpc.Harness.Child.Transports;
using ShmIpc.Harness.Protocol;
using ShmIpc.NetTransports;

namespace ShmIpc.Harness.Tests.Child.Transports;

/// <summary>
/// The receiver `serve` and `compare` start takes any valid encoding of the configured snapshot, not only what our
/// own encoder writes (whose maximum was the cap, so larger valid encodings reset the stream).
/// </summary>
public sealed class ReceiverFrameCapTests
{
    /// <summary>
    /// One the content check samples (a multiple of 64), so the whole snapshot is compared, not only its count; not 0,
    /// which the official builder would leave out as a default value, as it does not for a live sequence.
    /// </summary>
    private const long CheckedSequence = ContentVerifier.SampleEvery;

    [Fact]
    public async Task TheOfficialFlatBufferBuildersSnapshot_LargerThanOurEncoders_IsReadOverHttp2()
    {
        RunSettings settings = TestSettings.For(TransportKind.FlatBuffersHttp2);
        MarketSnapshot snapshot = SentSnapshot(settings);
        byte[] official = new FlatBuffersOfficialSnapshotEncoder().Build(snapshot).ToArray();
        Assert.True(official.Length > new FlatBuffersSnapshotCodec().GetMaxEncodedLength(settings.InstrumentCount), $"the official encoding is {official.Length} bytes");

        RecordingTotals totals = await ReceiveOneAsync(settings, endPoint => FramePublisher.CreateHttp2(endPoint), official);

        Assert.Equal(1, totals.Received);
        Assert.Equal(0, totals.ContentErrors);
    }

    [Fact]
    public async Task AValidMessagePackEncodingWithWideIntegers_LargerThanOurEncoders_IsReadOverTcp()
    {
        RunSettings settings = TestSettings.For(TransportKind.MessagePackTcp);
        MarketSnapshot snapshot = SentSnapshot(settings);
        byte[] wide = WideMessagePack(snapshot);
        Assert.True(wide.Length > new MessagePackSnapshotCodec().GetMaxEncodedLength(settings.InstrumentCount), $"the wide encoding is {wide.Length} bytes");

        RecordingTotals totals = await ReceiveOneAsync(settings, endPoint => FramePublisher.CreateTcp(endPoint), wide);

        Assert.Equal(1, totals.Received);
        Assert.Equal(0, totals.ContentErrors);
    }

    private static MarketSnapshot SentSnapshot(RunSettings settings)
    {
        MarketSnapshot snapshot = new SnapshotPool(settings.Seed, settings.InstrumentCount, RunSettings.SnapshotPoolSize).For(CheckedSequence).Clone();
        snapshot.Sequence = CheckedSequence;
        snapshot.SendTimestampNs = MonotonicClock.NowNanoseconds();
        return snapshot;
    }

    private static async Task<RecordingTotals> ReceiveOneAsync(RunSettings settings, Func<IPEndPoint, IFramePublisher> createPublisher, byte[] payload)
    {
        var recording = new LatencyRecording(1024);
        ISnapshotReceiver receiver = await TransportFactory.CreateReceiverAsync(settings, recording);
        try
        {
            await using (IFramePublisher publisher = createPublisher(EndPoints.Parse(receiver.Endpoint)))
            {
                await publisher.ConnectAsync();
                await publisher.SendAsync(payload.Length, static (destination, bytes) =>
                {
                    bytes.CopyTo(destination);
                    return bytes.Length;
                }, payload);
            }

            for (int waited = 0; recording.Received == 0 && receiver.TransportErrors == 0 && waited < 30_000; waited += 10)
            {
                await Task.Delay(10);
            }

            Assert.Equal(0, receiver.TransportErrors);
        }
        finally
        {
            await receiver.DisposeAsync();
        }

        return recording.Complete();
    }

    /// <summary>Valid MessagePack our writer never emits: every integer as a 64-bit one, every array header as array 32.</summary>
    private static byte[] WideMessagePack(MarketSnapshot snapshot)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        WriteArray32Header(ref writer, MessagePackSnapshotLayout.SnapshotFieldCount);
        writer.WriteInt64(snapshot.Sequence);
        writer.WriteInt64(snapshot.SendTimestampNs);
        WriteArray32Header(ref writer, snapshot.InstrumentCount);
        foreach (InstrumentSnapshot instrument in snapshot.Instruments)
        {
            WriteArray32Header(ref writer, MessagePackSnapshotLayout.InstrumentFieldCount);
            foreach (long value in new long[] { instrument.InstrumentId, instrument.LastPrice, instrument.Volume, instrument.Turnover, instrument.ExchangeTimestampNs })
            {
                writer.WriteInt64(value);
            }

            foreach (OrderBookLevels levels in new[] { instrument.Bids, instrument.Asks })
            {
                WriteArray32Header(ref writer, OrderBookLevels.Count);
                for (int level = 0; level < OrderBookLevels.Count; level++)
                {
                    WriteArray32Header(ref writer, MessagePackSnapshotLayout.LevelFieldCount);
                    writer.WriteInt64(levels[level].Price);
                    writer.WriteInt64(levels[level].Quantity);
                }
            }
        }

        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteArray32Header(ref MessagePackWriter writer, int count)
    {
        byte[] header = [0xDD, 0, 0, 0, 0];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(1), (uint)count);
        writer.WriteRaw(header);
    }
}
