using ShmIpc.Harness.Parent.Reporting;
using ShmIpc.Harness.Protocol;
using Spectre.Console;

namespace ShmIpc.Harness.Tests.Parent.Reporting;

public sealed class ConsoleTableTests
{
    [Theory]
    [InlineData(0, "0")]
    [InlineData(12.4, "12")]
    [InlineData(999.6, "1.00k")]
    [InlineData(1_234, "1.23k")]
    [InlineData(33_456, "33.5k")]
    [InlineData(999_400, "999k")]
    [InlineData(1_200_000, "1.20M")]
    public void Compact_KeepsThreeSignificantDigits(double value, string expected)
    {
        Assert.Equal(expected, ConsoleTable.Compact(value));
    }

    [Fact]
    public void ALatencyAtTheHistogramsCeiling_IsShownAsABound()
    {
        Assert.Equal("≥60.0 s", ResultCells.Latency(LatencyHistograms.HighestTrackableNanoseconds));
        Assert.Equal("—", ResultCells.Latency(null));
    }

    /// <summary>The widest rows a run makes: long names at several sizes, latencies at the ceiling, a million msg/s, a noisy backlog.</summary>
    private static ComparisonReport WidestReport()
    {
        var rows = new List<TransportResult>();
        foreach (int size in new[] { 1024, 65536 })
        {
            foreach ((string transport, string codec) in new[] { ("shm", "protobuf"), ("grpc", "protobuf"), ("fb", "fb"), ("msgpack", "msgpack") })
            {
                rows.Add(new TransportResult
                {
                    Transport = transport,
                    Codec = codec,
                    PayloadBytes = size,
                    AchievedMsgPerSec = 1_234_567,
                    ThroughputMBps = 12_345,
                    LatencyNs = new LatencyPercentiles(123_456, 1_234_567, 12_345_678, 60_000_000_000, 60_000_000_000, 60_000_000_000, 0, 1),
                    CpuPercent = new PerSide<double>(100, 199),
                    AllocatedBytesPerMessage = new PerSide<double>(33_456, 123_456),
                    Interference = new HostInterference(12.5, 110),
                    Leaks = new LeakCheck([4321], "shmipc-harness-1234-5", 20, 21, 30, 31),
                    Status = TransportResult.StatusBacklog,
                    Reason = "a backlog formed: p50 1.50 ms in second 3 of 5",
                });
            }
        }
        return ReportWriterTests.SampleReport() with { Results = rows };
    }

    private static string[] Render(ComparisonReport report)
    {
        var output = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        // Wider than the table may be, so a table too wide shows as a long line instead of being wrapped by Spectre.
        console.Profile.Width = 400;
        ConsoleTable.Write(console, report);
        return output.ToString().Split('\n');
    }

    [Fact]
    public void TheTable_FitsAHundredAndTwentyColumns_EvenWithItsWidestRows()
    {
        string[] lines = Render(WidestReport());
        // The table's lines, not the notes below it (prose, which a terminal wraps at words).
        string[] tableLines = lines.TakeWhile(line => !line.StartsWith("  shm/protobuf 1024 B", StringComparison.Ordinal)).ToArray();
        Assert.True(tableLines.Length >= 10, string.Join('\n', lines));
        int widest = tableLines.Max(line => line.TrimEnd().Length);
        Assert.True(widest <= ConsoleTable.MaxWidth, $"{widest} columns:\n{string.Join('\n', tableLines)}");
        Assert.Contains(tableLines, line => line.Contains("msgpack/msgpack 64k", StringComparison.Ordinal) && line.Contains("≥60.0 s", StringComparison.Ordinal));
    }

    [Fact]
    public void ARow_ShowsItsFiguresWithUnits_AndANoisyRowItsInterference()
    {
        ComparisonReport report = ReportWriterTests.SampleReport();
        TransportResult shm = report.Results[0] with
        {
            AllocatedBytesPerMessage = new PerSide<double>(0, 1_234),
            Interference = new HostInterference(1, 11.4),
        };
        TransportResult grpc = report.Results[1] with { Interference = new HostInterference(0, 0.5) };
        string[] lines = Render(report with { Results = [shm, grpc] });

        string shmLine = Assert.Single(lines, line => line.TrimStart().StartsWith("shm/raw ", StringComparison.Ordinal) && !line.Contains("16384 B", StringComparison.Ordinal));
        string[] cells = shmLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["shm/raw", "50,000", "720", "1.50", "µs", "9.00", "µs", "20.0", "µs", "90.0", "µs", "100/100", "0/1.23k", "ok", "12%"], cells);
        string grpcLine = Assert.Single(lines, line => line.TrimStart().StartsWith("grpc/protobuf ", StringComparison.Ordinal) && !line.Contains("16384 B", StringComparison.Ordinal));
        Assert.EndsWith("failed no", string.Join(' ', grpcLine.Split(' ', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.Contains(lines, line => line.Contains("shm/raw 16384 B noisy: other work took 12.4% of a core", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("grpc/protobuf 16384 B failed: receiver exited", StringComparison.Ordinal));
    }
}
