namespace ShmIpc.Harness.Tests.Parent;

/// <summary>
/// A real run's saved results (results.json and its .hgrm files, made on this machine), copied into a fresh directory
/// per test so drawing into it changes no fixture.
/// </summary>
internal sealed class SavedResults : IDisposable
{
    /// <summary><c>harness compare</c>, every transport, 1 KB at 1,000 msg/s.</summary>
    public const string Compare = "compare-1k-1000";

    /// <summary><c>harness sweep --sizes 1k,4k,16k,64k --transports shm,msgpack</c> at 1,000 msg/s.</summary>
    public const string Sweep = "sweep-1k-64k";

    public SavedResults(string fixture = Compare)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("shmipc-saved-results-").FullName;
        foreach (string file in System.IO.Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Parent/Fixtures", fixture)))
        {
            File.Copy(file, Path.Combine(Directory, Path.GetFileName(file)));
        }
    }

    public string Directory { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
