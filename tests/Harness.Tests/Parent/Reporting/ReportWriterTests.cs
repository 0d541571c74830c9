using System.Text.Json;
using ShmIpc.Harness.Parent.Reporting;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Tests.Parent.Reporting;

public sealed class ReportWriterTests
{
    internal static ComparisonReport SampleReport() => new(
        MachineInfo.Current(),
        new ComparisonConfig([TransportKind.SharedMemory, TransportKind.Grpc], [16384], 50000, 10, 60, 256, 65536, "raw", ShmWaitStrategy.Block, 1, "0,1", "CLOCK_MONOTONIC (Stopwatch), ns"),
        [
            new TransportResult
            {
                Transport = "shm",
                Codec = "raw",
                PayloadBytes = 16384,
                OfferedMsgPerSec = 50000,
                AchievedMsgPerSec = 50000,
                ThroughputMBps = 720,
                LatencyNs = new LatencyPercentiles(1500, 2000, 9000, 20000, 50000, 90000, 1700, 3_000_000),
                CpuPercent = new PerSide<double>(100, 100),
                AllocatedBytesPerSec = new PerSide<double>(0, 12),
                GcCount = new PerSide<GarbageCollections>(new(0, 0, 0), new(0, 0, 0)),
                Status = TransportResult.StatusOk,
            },
            new TransportResult { Transport = "grpc", Codec = "protobuf", PayloadBytes = 16384, OfferedMsgPerSec = 50000, Status = TransportResult.StatusFailed, Reason = "receiver exited" },
        ]);

    [Fact]
    public void Json_HasTheDocumentedShape()
    {
        using JsonDocument document = JsonDocument.Parse(ReportWriter.ToJson(SampleReport()));
        JsonElement root = document.RootElement;
        Assert.Equal(JsonValueKind.Object, root.GetProperty("machine").ValueKind);
        JsonElement config = root.GetProperty("config");
        // Settings are typed in the code and written by the names users type.
        Assert.Equal(["shm", "grpc"], config.GetProperty("transports").EnumerateArray().Select(name => name.GetString()));
        Assert.Equal("block", config.GetProperty("shmWait").GetString());
        Assert.Equal("raw", config.GetProperty("shmCodec").GetString());
        Assert.Equal("0,1", config.GetProperty("pin").GetString());
        JsonElement shm = root.GetProperty("results")[0];
        Assert.Equal("shm", shm.GetProperty("transport").GetString());
        Assert.Equal("raw", shm.GetProperty("codec").GetString());
        Assert.Equal(16384, shm.GetProperty("payloadBytes").GetInt32());
        Assert.Equal(50000, shm.GetProperty("offeredMsgPerSec").GetDouble());
        Assert.Equal(50000, shm.GetProperty("achievedMsgPerSec").GetDouble());
        Assert.Equal(720, shm.GetProperty("throughputMBps").GetDouble());
        foreach (string percentile in new[] { "p50", "p90", "p99", "p999", "p9999", "max" })
        {
            Assert.True(shm.GetProperty("latencyNs").GetProperty(percentile).GetInt64() > 0, percentile);
        }
        Assert.Equal(100, shm.GetProperty("cpuPercent").GetProperty("sender").GetDouble());
        Assert.Equal(12, shm.GetProperty("allocatedBytesPerSec").GetProperty("receiver").GetDouble());
        Assert.Equal(0, shm.GetProperty("gcCount").GetProperty("sender").GetProperty("gen0").GetInt32());
        Assert.Equal(0, shm.GetProperty("errors").GetInt64());
        Assert.Equal("ok", shm.GetProperty("status").GetString());

        JsonElement grpc = root.GetProperty("results")[1];
        Assert.Equal("failed", grpc.GetProperty("status").GetString());
        Assert.Equal("receiver exited", grpc.GetProperty("reason").GetString());
        // A failed row keeps every documented field, null where there is no figure.
        Assert.Equal(JsonValueKind.Null, grpc.GetProperty("latencyNs").ValueKind);
        Assert.Equal(JsonValueKind.Null, grpc.GetProperty("cpuPercent").ValueKind);
    }

    [Fact]
    public void Csv_HasAHeaderAndOneLinePerRow()
    {
        string[] lines = ReportWriter.ToCsv(SampleReport()).TrimEnd().Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("transport,codec,payloadBytes", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("shm,raw,16384", lines[1], StringComparison.Ordinal);
        Assert.Contains("\"receiver exited\"", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_ShowsLatenciesWithTheirUnit()
    {
        string markdown = ReportWriter.ToMarkdown(SampleReport());
        Assert.Contains("| shm | raw |", markdown, StringComparison.Ordinal);
        Assert.Contains("| 1.50 µs |", markdown, StringComparison.Ordinal);
        Assert.Contains("failed: receiver exited", markdown, StringComparison.Ordinal);
    }
}
