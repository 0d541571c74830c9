using System.Globalization;
using System.Text.Json;

namespace ShmIpc.Harness.Tests.EndToEnd;

/// <summary>
/// `harness compare --transports shm-broadcast` for real: one sender process, a receiver process per consumer, tiny
/// durations, yield waits (more processes than this machine's cores). Checks what each consumer reports, not speed.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class BroadcastCompareEndToEndTests : IDisposable
{
    private readonly string _outputDirectory = Directory.CreateTempSubdirectory("shmipc-harness-test-").FullName;

    public void Dispose() => Directory.Delete(_outputDirectory, recursive: true);

    [Fact]
    public void TwoLosslessConsumers_EachReceiveEveryMessage_AndEachHasItsRow()
    {
        using var harness = HarnessProcess.Start("compare", "--transports", "shm-broadcast", "--consumers", "2", "--shm-wait", "yield", "--pin", "none",
            "--warmup", "1s", "--duration", "2s", "--qps", "500", "--payload", "1k", "--format", "json", "--out", _outputDirectory);
        int exitCode = harness.WaitForExit(TimeSpan.FromMinutes(2));
        Assert.True(exitCode == 0, $"exit {exitCode}\n{harness.Output}\n{harness.Error}");

        using JsonDocument report = JsonDocument.Parse(harness.Output);
        JsonElement config = report.RootElement.GetProperty("config");
        Assert.Equal(2, config.GetProperty("consumers").GetInt32());
        Assert.Equal("lossless", config.GetProperty("broadcastPolicy").GetString());
        Assert.Equal("yield", config.GetProperty("shmWait").GetString());
        JsonElement row = Assert.Single(report.RootElement.GetProperty("results").EnumerateArray());
        Assert.Equal("shm-broadcast", row.GetProperty("transport").GetString());
        JsonElement[] consumers = [.. row.GetProperty("consumers").EnumerateArray()];
        Assert.Equal(2, consumers.Length);
        foreach (JsonElement consumer in consumers)
        {
            // "behind" or "backlog" say a queue or a late sender: a stall of a busy CI machine can make either.
            Assert.True(consumer.GetProperty("status").GetString() is "ok" or "behind" or "backlog", consumer.ToString());
            Assert.Equal(1_500, consumer.GetProperty("sent").GetInt64());   // 3 s at 500 msg/s
            Assert.Equal(1_500, consumer.GetProperty("received").GetInt64());
            Assert.Equal(0, consumer.GetProperty("errors").GetInt64());
            JsonElement latency = consumer.GetProperty("latencyNs");
            Assert.InRange(latency.GetProperty("p50").GetInt64(), 1, 1_000_000_000);
            Assert.True(consumer.GetProperty("cpuPercent").GetProperty("receiver").GetDouble() > 0);
        }
        // The table's row is the worst consumer's: its status, and no consumer with that status has a higher p99 (a
        // stalled consumer's "backlog" outranks a calmer one's higher p99; WorstConsumerTests has the whole rule).
        string rowStatus = row.GetProperty("status").GetString()!;
        Assert.Contains(consumers, consumer => consumer.GetProperty("status").GetString() == rowStatus);
        long rowP99 = row.GetProperty("latencyNs").GetProperty("p99").GetInt64();
        Assert.Equal(
            consumers.Where(consumer => consumer.GetProperty("status").GetString() == rowStatus)
                .Max(consumer => consumer.GetProperty("latencyNs").GetProperty("p99").GetInt64()),
            rowP99);
        // Each process of the run reported what it held before and after its transport: the sender and both consumers.
        CompareEndToEndTests.AssertNoChildLeaked(row, "shm-broadcast", "sender", "consumer 1", "consumer 2");
    }

    [Fact]
    public void ALossyConsumerThatFallsALapBehind_IsFailed_WithExactlyWhatItMissed()
    {
        // 16 KB snapshots fill the 16 MiB ring in about a thousand; a consumer slowed to 1 ms a message reads far
        // fewer than the 4,000 a second sent, so the producer laps it again and again.
        using var harness = HarnessProcess.Start("compare", "--transports", "shm-broadcast", "--consumers", "1", "--broadcast-policy", "lossy",
            "--shm-wait", "yield", "--pin", "none", "--slow-receiver", "1ms",
            "--warmup", "1s", "--duration", "2s", "--qps", "4000", "--payload", "16k", "--format", "json", "--out", _outputDirectory);
        int exitCode = harness.WaitForExit(TimeSpan.FromMinutes(2));
        Assert.True(exitCode == 1, $"exit {exitCode} (a failed row exits 1)\n{harness.Output}\n{harness.Error}");

        using JsonDocument report = JsonDocument.Parse(harness.Output);
        JsonElement row = Assert.Single(report.RootElement.GetProperty("results").EnumerateArray());
        JsonElement consumer = Assert.Single(row.GetProperty("consumers").EnumerateArray());
        long sent = consumer.GetProperty("sent").GetInt64();
        long received = consumer.GetProperty("received").GetInt64();
        long lost = consumer.GetProperty("lost").GetInt64();
        Assert.Equal(12_000, sent);
        Assert.True(lost > 1_000, consumer.ToString());
        Assert.Equal(sent - received, lost);
        Assert.Equal("failed", consumer.GetProperty("status").GetString());
        Assert.StartsWith(string.Create(CultureInfo.InvariantCulture, $"{lost} lost,"), consumer.GetProperty("reason").GetString(), StringComparison.Ordinal);
        // The ring's own count of what this consumer missed (sequence gaps, torn reads) is the same number.
        Assert.Equal(lost, consumer.GetProperty("ringMissed").GetInt64());
    }
}
