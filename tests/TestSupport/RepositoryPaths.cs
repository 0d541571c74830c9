namespace ShmIpc.TestSupport;

/// <summary>Finds files of the repository from a test's output directory (bin/Release/net10.0), by the solution file at its root.</summary>
public static class RepositoryPaths
{
    private const string SolutionFile = "ShmIpc.sln";

    public static string Root { get; } = FindRoot();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"{SolutionFile} not found above {AppContext.BaseDirectory}");
    }
}
