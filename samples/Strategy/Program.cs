// A strategy: creates the ring NAME, reads every snapshot in place (every field, no copy) until the feed handler
// detaches, checks that none was lost or reordered, and prints how many it saw and their latency.
//   dotnet run --project samples/Strategy -- [NAME]
using System.Diagnostics;
using ShmIpc.Codecs;
using ShmIpc.ShmRing;

string name = args.Length > 0 ? args[0] : "sample-quotes";
ISnapshotCodec codec = SnapshotCodecs.Get("raw");
var options = new RingOptions { Capacity = 4 * 1024 * 1024, MaxRecordSize = codec.GetMaxEncodedLength(128) };

using var consumer = RingConsumer.Create(name, options);
Console.WriteLine($"strategy: ring '{name}' ready");
long received = 0, lastSequence = 0, latencySumNs = 0;
var idle = Stopwatch.StartNew();
while (true)
{
    RingReadStatus status = consumer.Read(out RingRecord record, TimeSpan.FromSeconds(1));
    if (status == RingReadStatus.PeerGone)
    {
        break; // the feed handler detached (or died) and everything it wrote has been read
    }

    if (status == RingReadStatus.TimedOut)
    {
        if (received == 0 && idle.Elapsed > TimeSpan.FromSeconds(30))
        {
            Console.Error.WriteLine("strategy: no feed handler within 30 s");
            return 1;
        }

        continue;
    }

    SnapshotDigest digest = codec.ReadEveryField(record.Payload);
    long nowNs = (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency));
    consumer.Release();
    if (digest.Sequence != lastSequence + 1)
    {
        Console.Error.WriteLine($"strategy: sequence {digest.Sequence} after {lastSequence}");
        return 1;
    }

    lastSequence = digest.Sequence;
    latencySumNs += nowNs - digest.SendTimestampNs;
    received++;
}

Console.WriteLine($"strategy: received {received} snapshots in order, mean latency {latencySumNs / Math.Max(received, 1) / 1000.0:F1} µs");
return received > 0 ? 0 : 1;
