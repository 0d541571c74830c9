namespace ShmIpc.Harness.Tests.Parent;

/// <summary>
/// A test that needs headless Chromium (scripts/report-check.sh's browser, $CHROMIUM or <c>chromium</c> on PATH):
/// skipped, saying so, where there is none; run everywhere else.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (!IsInstalled())
        {
            Skip = "chromium is not on PATH (nor $CHROMIUM): the browser check renders report.html in headless Chromium";
        }
    }

    private static bool IsInstalled()
    {
        string? named = Environment.GetEnvironmentVariable("CHROMIUM");
        if (!string.IsNullOrEmpty(named) && Path.IsPathRooted(named))
        {
            return File.Exists(named);
        }

        string executable = string.IsNullOrEmpty(named) ? "chromium" : named;
        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, executable)));
    }
}
