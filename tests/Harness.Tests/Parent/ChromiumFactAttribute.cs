using System.Diagnostics;
using ShmIpc.TestSupport;

namespace ShmIpc.Harness.Tests.Parent;

/// <summary>
/// A test that needs headless Chromium: skipped, saying why, where scripts/report-check.sh finds none (the script
/// holds the one rule for which browser it uses, and <c>--find</c> applies it); run everywhere else.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        string? missing = WhyMissing();
        if (missing is not null)
        {
            Skip = $"no browser for the check of report.html: {missing}";
        }
    }

    /// <summary>Null when the script finds a browser; else what it said.</summary>
    private static string? WhyMissing()
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(RepositoryPaths.Combine("scripts", "report-check.sh"));
        start.ArgumentList.Add("--find");
        using Process script = Process.Start(start)!;
        Task<string> errors = script.StandardError.ReadToEndAsync();
        script.StandardOutput.ReadToEnd();
        script.WaitForExit();
        return script.ExitCode == 0 ? null : errors.Result.Trim();
    }
}
