namespace ShmIpc.Codecs.Tests;

/// <summary>Finds files of the repository from the test's output directory (bin/Release/net10.0).</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ShmIpc.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"ShmIpc.sln not found above {AppContext.BaseDirectory}");
    }
}
