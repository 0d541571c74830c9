using System.CommandLine;
using ShmIpc.Harness.Cli;

namespace ShmIpc.Harness;

/// <summary>Entry point of the <c>harness</c> command.</summary>
internal static class Program
{
    private static int Main(string[] args) => HarnessCommandLine.Build().Parse(args).Invoke();
}
