namespace ShmIpc.Harness.Tests.Parent;

/// <summary>
/// A real run's saved results (results.json and its .hgrm files, from <c>harness compare</c> on this machine, every
/// transport, 1 KB at 1,000 msg/s), copied into a fresh directory per test so drawing into it changes no fixture.
/// </summary>
internal sealed class SavedResults : IDisposable
{
    private const string FixtureDirectory = "Parent/Fixtures/compare-1k-1000";

    public SavedResults()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("shmipc-saved-results-").FullName;
        foreach (string file in System.IO.Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, FixtureDirectory)))
        {
            File.Copy(file, Path.Combine(Directory, Path.GetFileName(file)));
        }
    }

    public string Directory { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
