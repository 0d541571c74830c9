using ShmIpc.ShmRing.TestPeer;

namespace ShmIpc.ShmRing.Tests.Support;

/// <summary>The consumer's side of the fault and soak suites: every record checked against its producer's <see cref="RecordPattern"/>.</summary>
internal static class RecordStreamCheck
{
    /// <summary>
    /// Reads and checks every record of producers 1..<paramref name="producers"/> (per producer: order, bytes) until
    /// peer-gone, counting what goes wrong in <paramref name="tally"/>; returns the count received per producer id.
    /// </summary>
    public static long[] ReadUntilPeerGone(RingConsumer consumer, RingOptions options, int producers, int seed, TimeSpan patience, RecordTally tally)
    {
        RecordPattern[] patterns = [.. Enumerable.Range(0, producers + 1).Select(p => new RecordPattern(p, seed, options.MaxRecordSize))];
        long[] received = new long[producers + 1];
        while (true)
        {
            RingReadStatus status = consumer.Read(out RingRecord record, patience);
            if (status == RingReadStatus.PeerGone)
            {
                return received;
            }

            if (status != RingReadStatus.Record)
            {
                tally.Hangs++;
                return received;
            }

            int producer = RecordPattern.ProducerOf(record.Type);
            if (producer < 1 || producer > producers)
            {
                tally.Torn++;
                consumer.Release();
                continue;
            }

            // The type holds the record number mod 2^24: a forward distance is a gap (lost records), a backward one
            // a record seen before.
            RecordPattern pattern = patterns[producer];
            int ahead = (RecordPattern.SequenceBitsOf(record.Type) - (int)(pattern.Next & 0xFF_FFFF)) & 0xFF_FFFF;
            if (ahead >= 1 << 23)
            {
                tally.Duplicated++;
                consumer.Release();
                continue;
            }

            for (; ahead > 0; ahead--)
            {
                _ = pattern.TakeNext(out _);
                tally.Lost++;
            }

            if (!record.Payload.SequenceEqual(pattern.TakeNext(out _)))
            {
                tally.Torn++;
            }

            received[producer]++;
            tally.Records++;
            consumer.Release();
        }
    }
}
