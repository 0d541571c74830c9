using System.CommandLine;
using ShmIpc.Harness.Cli;

namespace ShmIpc.Harness;

/// <summary>Entry point of the <c>harness</c> command.</summary>
internal static class Program
{
    /// <summary>
    /// After Ctrl+C the harness stops its children, collects their partial figures and removes
    /// segments; give it the time that takes instead of System.CommandLine's 2 s default.
    /// </summary>
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(60);

    private static int Main(string[] args) =>
        HarnessCommandLine.Build().Parse(args).Invoke(new InvocationConfiguration { ProcessTerminationTimeout = ShutdownTimeout });
}
