using System.Diagnostics;

namespace ShmIpc.ShmRing.Tests.Support;

/// <summary>
/// A test that mounts its own /dev/shm in a private mount namespace (unshare): as root directly, otherwise in a user
/// namespace of its own (unshare -r). Skipped, saying so, where neither is allowed.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class MountNamespaceFactAttribute : FactAttribute
{
    private static readonly Lazy<string[]?> ProbedUnshare = new(Probe);

    public MountNamespaceFactAttribute()
    {
        if (ProbedUnshare.Value is null)
        {
            Skip = "unshare cannot make a mount namespace here (not root, and user namespaces are not allowed)";
        }
    }

    /// <summary>The command prefix that runs the rest in a new mount namespace where mounting is allowed.</summary>
    public static string[] Unshare => ProbedUnshare.Value ?? throw new InvalidOperationException("no mount namespace here");

    private static string[]? Probe()
    {
        string[] unshare = Environment.IsPrivilegedProcess
            ? ["unshare", "--mount", "--propagation", "private"]
            : ["unshare", "--map-root-user", "--mount", "--propagation", "private"];
        try
        {
            var start = new ProcessStartInfo(unshare[0]) { UseShellExecute = false, RedirectStandardError = true };
            foreach (string argument in unshare.Skip(1).Concat(["sh", "-c", "mount -t tmpfs -o size=1m probe /dev/shm"]))
            {
                start.ArgumentList.Add(argument);
            }

            using Process process = Process.Start(start)!;
            process.StandardError.ReadToEnd();
            return process.WaitForExit(10_000) && process.ExitCode == 0 ? unshare : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no unshare on PATH
        }
    }
}
