using System.Diagnostics;

namespace ShmIpc.Packages.Tests;

/// <summary>
/// Runs `./run-linux.sh pack --no-build` (the test run follows a Release build): every package packed, the harness
/// installed from them as a .NET tool into a temporary tool path and run, and the samples built against the packages
/// and run as two processes. The script fails on the first step that does; its output is the test's message.
/// </summary>
public sealed class PackAndUseTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(8);

    [Fact]
    public async Task PackagesToolAndSamples_WorkAsAUserTakesThem()
    {
        var start = new ProcessStartInfo(RepositoryPaths.Combine("run-linux.sh"))
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("pack");
        start.ArgumentList.Add("--no-build");
        using Process script = Process.Start(start) ?? throw new InvalidOperationException("cannot start run-linux.sh");
        Task<string> reading = script.StandardOutput.ReadToEndAsync();
        Task<string> readingErrors = script.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(Patience);
        try
        {
            await script.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            script.Kill(entireProcessTree: true);
        }

        string output = await reading;
        string log = $"{output}\n{await readingErrors}";
        Assert.True(script.HasExited && !patience.IsCancellationRequested, $"run-linux.sh pack did not finish within {Patience}:\n{log}");
        Assert.True(script.ExitCode == 0, $"run-linux.sh pack exited {script.ExitCode}:\n{log}");
        foreach (string package in new[] { "ShmIpc.ShmRing", "ShmIpc.Codecs", "ShmIpc.NetTransports", "shmipc-harness" })
        {
            Assert.Contains($"{package}.", output, StringComparison.Ordinal);
        }

        Assert.Contains("Results written to", log, StringComparison.Ordinal); // a status other than ok is the host's, not the package's
        Assert.Contains("strategy: received 20000 snapshots in order", output, StringComparison.Ordinal);
    }
}
