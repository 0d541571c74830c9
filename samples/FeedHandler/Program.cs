// A feed handler: publishes COUNT market snapshots of 128 instruments into the ring NAME at RATE a second, each
// encoded straight into the claimed ring space (no copy), stamped with its send time. The strategy creates the ring.
//   dotnet run --project samples/FeedHandler -- [NAME] [COUNT] [RATE]
using System.Diagnostics;
using ShmIpc.Codecs;
using ShmIpc.ShmRing;

string name = args.Length > 0 ? args[0] : "sample-quotes";
long count = args.Length > 1 ? long.Parse(args[1]) : 100_000;
long rate = args.Length > 2 ? long.Parse(args[2]) : 10_000;

ISnapshotCodec codec = SnapshotCodecs.Get("raw");
var options = new RingOptions { Capacity = 4 * 1024 * 1024, MaxRecordSize = codec.GetMaxEncodedLength(128) };
var generator = new SnapshotGenerator();
var snapshot = new MarketSnapshot(128); // filled one tick on before each send

// The strategy creates the ring; wait for it a few seconds.
var waited = Stopwatch.StartNew();
while (!RingFiles.Exists(name))
{
    if (waited.Elapsed > TimeSpan.FromSeconds(10))
    {
        Console.Error.WriteLine($"feed handler: no ring '{name}' after 10 s: start the strategy first");
        return 1;
    }

    Thread.Sleep(10);
}

using var producer = RingProducer.Attach(name, options);
long period = Stopwatch.Frequency / rate;
long due = Stopwatch.GetTimestamp();
for (long sent = 0; sent < count; sent++)
{
    due += period;
    while (Stopwatch.GetTimestamp() < due)
    {
        Thread.SpinWait(20);
    }

    generator.Fill(snapshot);
    snapshot.SendTimestampNs = (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency));
    RingWriteStatus status = producer.Claim(options.MaxRecordSize, TimeSpan.FromSeconds(5), out RingClaim claim);
    if (status != RingWriteStatus.Success)
    {
        Console.Error.WriteLine($"feed handler: {status} after {sent} snapshots");
        return 1;
    }

    using (claim)
    {
        claim.Commit(codec.Encode(snapshot, claim.Destination));
    }
}

Console.WriteLine($"feed handler: published {count} snapshots at {rate}/s into '{name}'");
return 0;
