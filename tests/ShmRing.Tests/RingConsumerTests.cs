using System.Diagnostics;
using System.Diagnostics.Metrics;
using ShmIpc.ShmRing.TestPeer;
using ShmIpc.ShmRing.Tests.Support;

namespace ShmIpc.ShmRing.Tests;

public sealed class RingConsumerTests
{
    [Theory]
    [InlineData(RingKind.SingleProducer)]
    [InlineData(RingKind.MultiProducer)]
    public void WrapAround_PadsTheEndOfTheLapAndKeepsEveryRecordContiguous(RingKind kind)
    {
        string name = TestRing.UniqueName("wrap");
        RingOptions options = TestRing.Small(kind) with { Capacity = 4096, MaxRecordSize = 1000 };
        using var consumer = RingConsumer.Create(name, options);
        using var producer = RingProducer.Attach(name, options);
        var pattern = new RecordPattern(producerId: 1, seed: 5, options.MaxRecordSize);
        var expected = new RecordPattern(producerId: 1, seed: 5, options.MaxRecordSize);

        // Random sizes over many laps of a 4 KiB ring: most laps end in a padding record.
        for (int i = 0; i < 5000; i++)
        {
            ReadOnlySpan<byte> payload = pattern.TakeNext(out int type);
            Assert.True(producer.TryWrite(payload, type));
            if (i % 3 == 0)
            {
                continue;
            }

            DrainAndVerify(consumer, expected, upTo: pattern.Next);
        }

        DrainAndVerify(consumer, expected, upTo: pattern.Next);
        Assert.Equal(5000, consumer.Counters.Messages);
    }

    [Theory]
    [InlineData(RingLayout.RecordLengthOffset, 100u)]            // not a multiple of 64
    [InlineData(RingLayout.RecordLengthOffset, 1u << 20)]        // past the end of the data region
    [InlineData(RingLayout.RecordPayloadLengthOffset, 5000u)]    // above the max record size
    [InlineData(RingLayout.RecordPayloadLengthOffset, 65u)]      // longer than its record
    [InlineData(RingLayout.RecordTypeOffset, 0xFFFF_FFFEu)]      // type -2
    public void TryRead_RejectsAnInconsistentRecordHeaderWithRingException(int field, uint value)
    {
        string name = TestRing.UniqueName("corrupt");
        using var consumer = RingConsumer.Create(name, TestRing.Small());
        using var producer = RingProducer.Attach(name, TestRing.Small());
        Assert.True(producer.TryWrite(new byte[10]));
        TestRing.PokeUInt32(name, RingLayout.DataOffset + field, value);

        var error = Assert.Throws<RingException>(() => consumer.TryRead(out _));

        Assert.Equal(RingError.Corrupted, error.Error);
        Assert.Contains("record at position 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Attach_ThrowsCorruptedForAMisalignedConsumerPosition_AndLeavesTheRoleFree()
    {
        string name = TestRing.UniqueName("consumer-position");
        using var producer = RingProducer.Create(name, TestRing.Small());
        TestRing.PokeUInt64(name, RingLayout.ConsumerPositionOffset, 100);

        var error = Assert.Throws<RingException>(() => RingConsumer.Attach(name, TestRing.Small()));

        Assert.Equal(RingError.Corrupted, error.Error);
        Assert.Contains("consumer position 100", error.Message, StringComparison.Ordinal);
        TestRing.PokeUInt64(name, RingLayout.ConsumerPositionOffset, 0);
        using var consumer = RingConsumer.Attach(name, TestRing.Small());
        Assert.True(producer.TryWrite([1]));
        Assert.True(consumer.TryRead(out _));
    }

    [Fact]
    public void ReadBatch_HandsEveryAvailableRecordToTheHandlerAndReleasesThem()
    {
        string name = TestRing.UniqueName("batch");
        using var consumer = RingConsumer.Create(name, TestRing.Small());
        using var producer = RingProducer.Attach(name, TestRing.Small());
        for (int i = 0; i < 10; i++)
        {
            Assert.True(producer.TryWrite([(byte)i, 1, 2], recordType: i));
        }

        var handler = new SummingHandler();
        Assert.Equal(4, consumer.ReadBatch(ref handler, maxRecords: 4));
        Assert.Equal(6, consumer.ReadBatch(ref handler, maxRecords: 100));
        Assert.Equal(0, consumer.ReadBatch(ref handler, maxRecords: 100));

        Assert.Equal(10, handler.Count);
        Assert.Equal(Enumerable.Range(0, 10).Sum(), handler.TypeSum);
        Assert.Equal(Enumerable.Range(0, 10).Sum() + 30, handler.ByteSum);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void ReadBatch_WhenTheHandlerThrows_ReleasesTheRecordsItWasGiven_TheOneItThrewOnIncluded(int throwingRecord)
    {
        string name = TestRing.UniqueName("batch-throws");
        using var consumer = RingConsumer.Create(name, TestRing.Small());
        using var producer = RingProducer.Attach(name, TestRing.Small());
        byte[] payload = new byte[1000];
        int written = 0;
        while (producer.TryWrite(payload, recordType: written))
        {
            written++;
        }

        var handler = new ThrowingHandler { ThrowOnType = throwingRecord };
        Assert.Throws<FormatException>(() => consumer.ReadBatch(ref handler, maxRecords: 100));

        Assert.Equal(throwingRecord + 1, handler.Count);
        Assert.Equal(throwingRecord + 1, consumer.Counters.Messages);

        // Released to the producers (the full ring takes a record again: 60 records of 1,088 bytes leave 256 bytes at the
        // end of the lap, so the next one needs 1,344, which only a released record makes), and not delivered again.
        Assert.True(producer.TryWrite(payload, recordType: 99));
        Assert.True(consumer.TryRead(out RingRecord next));
        Assert.Equal(throwingRecord + 1, next.Type);
    }

    [Fact]
    public void Release_AfterDispose_ThrowsObjectDisposed()
    {
        string name = TestRing.UniqueName("release-disposed");
        using var producer = RingProducer.Create(name, TestRing.Small());
        var consumer = RingConsumer.Attach(name, TestRing.Small());
        Assert.True(producer.TryWrite([1]));
        Assert.True(consumer.TryRead(out _));
        consumer.Dispose();

        Assert.Throws<ObjectDisposedException>(consumer.Release);
        Assert.Throws<ObjectDisposedException>(() => consumer.TryRead(out _));
    }

    [Fact]
    public void TryRead_ReturnsTheSameRecordUntilReleased()
    {
        string name = TestRing.UniqueName("peek");
        using var consumer = RingConsumer.Create(name, TestRing.Small());
        using var producer = RingProducer.Attach(name, TestRing.Small());
        Assert.True(producer.TryWrite([1], 1));
        Assert.True(producer.TryWrite([2], 2));

        Assert.True(consumer.TryRead(out RingRecord first));
        Assert.Equal(1, first.Type);
        Assert.True(consumer.TryRead(out RingRecord again));
        Assert.Equal(1, again.Type);
        consumer.Release();
        Assert.Throws<InvalidOperationException>(consumer.Release);
        Assert.True(consumer.TryRead(out RingRecord second));
        Assert.Equal(2, second.Type);
    }

    [Theory]
    [InlineData(RingWaitStrategy.BusySpin)]
    [InlineData(RingWaitStrategy.SpinThenYield)]
    [InlineData(RingWaitStrategy.SpinThenBlock)]
    public void Read_WaitsForARecordWithEachStrategy(RingWaitStrategy strategy)
    {
        string name = TestRing.UniqueName("strategy");
        RingOptions options = TestRing.Small() with { WaitStrategy = strategy, PeerCheckInterval = TimeSpan.FromSeconds(5) };
        using var consumer = RingConsumer.Create(name, options);
        using var producer = RingProducer.Attach(name, options);
        var writer = Background.Start(() =>
        {
            for (int i = 0; i < 20; i++)
            {
                Thread.Sleep(5);
                Assert.True(producer.TryWrite([(byte)i], i));
            }
        });

        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(RingReadStatus.Record, consumer.Read(out RingRecord record, TimeSpan.FromSeconds(10)));
            Assert.Equal(i, record.Type);
            consumer.Release();
        }

        Assert.True(writer.Join(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Read_TimesOutWhileTheProducerIsAliveAndReportsPeerGoneAfterItDetaches()
    {
        string name = TestRing.UniqueName("detach");
        using var consumer = RingConsumer.Create(name, TestRing.Small());
        var producer = RingProducer.Attach(name, TestRing.Small());

        Assert.Equal(RingReadStatus.TimedOut, consumer.Read(out _, TimeSpan.FromMilliseconds(100)));
        Assert.True(producer.TryWrite([5]));
        producer.Dispose();

        // Records written before the producer left are still delivered, then peer-gone.
        Assert.Equal(RingReadStatus.Record, consumer.Read(out RingRecord last, TimeSpan.FromSeconds(5)));
        Assert.Equal([5], last.Payload.ToArray());
        consumer.Release();
        Assert.Equal(RingReadStatus.PeerGone, consumer.Read(out _, TimeSpan.FromSeconds(5)));
        Assert.Equal(1, consumer.Counters.PeerGoneEvents);
    }

    [Fact]
    public void Metrics_ReportMessagesBytesAndFullEventsUnderTheShmIpcRingMeter()
    {
        string name = TestRing.UniqueName("metrics");
        using var consumer = RingConsumer.Create(name, TestRing.Small());
        using var producer = RingProducer.Attach(name, TestRing.Small());
        for (int i = 0; i < 3; i++)
        {
            Assert.True(producer.TryWrite(new byte[100]));
        }

        Assert.True(consumer.TryRead(out _));
        consumer.Release();
        int fullWrites = 0;
        while (producer.TryWrite(new byte[4000]))
        {
            fullWrites++;
        }

        var seen = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == RingMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? ring = null;
            string? role = null;
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                ring = tag.Key == "ring" ? (string?)tag.Value : ring;
                role = tag.Key == "role" ? (string?)tag.Value : role;
            }

            if (ring == name)
            {
                seen[$"{role}:{instrument.Name}"] = value;
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();

        // Counted here, not read back from the counter the metric reads: a count that never grows must fail.
        Assert.True(fullWrites > 0);
        Assert.Equal(3 + fullWrites, seen["producer:shmipc.ring.messages"]);
        Assert.Equal((3 * 100) + (fullWrites * 4000L), seen["producer:shmipc.ring.bytes"]);
        Assert.Equal(new RingCounters(3 + fullWrites, (3 * 100) + (fullWrites * 4000L), 1, 0, 0), producer.Counters);
        Assert.Equal(1, seen["producer:shmipc.ring.full_events"]);
        Assert.Equal(1, seen["consumer:shmipc.ring.messages"]);
        Assert.Equal(100, seen["consumer:shmipc.ring.bytes"]);
        Assert.Equal(0, seen["consumer:shmipc.ring.skipped_records"]);
        Assert.Equal(0, seen["consumer:shmipc.ring.peer_gone_events"]);
    }

    private static void DrainAndVerify(RingConsumer consumer, RecordPattern expected, long upTo)
    {
        while (expected.Next < upTo)
        {
            Assert.True(consumer.TryRead(out RingRecord record));
            ReadOnlySpan<byte> payload = expected.TakeNext(out int type);
            Assert.Equal(type, record.Type);
            Assert.True(record.Payload.SequenceEqual(payload));
            consumer.Release();
        }

        Assert.False(consumer.TryRead(out _));
    }

    private struct ThrowingHandler : IRingRecordHandler
    {
        public int ThrowOnType;
        public int Count;

        public void OnRecord(in RingRecord record)
        {
            Count++;
            if (record.Type == ThrowOnType)
            {
                throw new FormatException($"handler rejects record {record.Type}");
            }
        }
    }

    private struct SummingHandler : IRingRecordHandler
    {
        public int Count;
        public long TypeSum;
        public long ByteSum;

        public void OnRecord(in RingRecord record)
        {
            Count++;
            TypeSum += record.Type;
            foreach (byte value in record.Payload)
            {
                ByteSum += value;
            }
        }
    }
}
