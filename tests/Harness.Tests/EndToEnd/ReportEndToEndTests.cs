using ShmIpc.Harness.Tests.Parent;

namespace ShmIpc.Harness.Tests.EndToEnd;

/// <summary>`harness report DIR` for real: the executable redraws a saved run without rerunning it.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ReportEndToEndTests : IDisposable
{
    private readonly SavedResults _saved = new();

    public void Dispose() => _saved.Dispose();

    [Fact]
    public void Report_RedrawsASavedRun_AndPrintsItsTable()
    {
        using var harness = HarnessProcess.Start("report", _saved.Directory);
        int exitCode = harness.WaitForExit(TimeSpan.FromMinutes(1));
        Assert.True(exitCode == 0, $"exit {exitCode}\n{harness.Output}\n{harness.Error}");
        Assert.True(File.Exists(Path.Combine(_saved.Directory, "report.html")), harness.Error);
        Assert.True(File.Exists(Path.Combine(_saved.Directory, "latency-by-percentile.svg")), harness.Error);
        foreach (string name in new[] { "shm/raw", "grpc/protobuf", "fb/fb", "msgpack/msgpack" })
        {
            Assert.Contains(name, harness.Output, StringComparison.Ordinal);
        }
        Assert.Contains("report.html", harness.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_OnADirectoryWithoutResults_SaysSo_AndExitsTwo()
    {
        string empty = Path.Combine(_saved.Directory, "empty");
        Directory.CreateDirectory(empty);
        using var harness = HarnessProcess.Start("report", empty);
        Assert.Equal(2, harness.WaitForExit(TimeSpan.FromMinutes(1)));
        Assert.Contains("harness report: cannot read", harness.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(empty, "report.html")));
    }
}
