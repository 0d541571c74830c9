namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>The command line a report came from, as a shell would take it back: <c>harness compare --qps 1000 ...</c>.</summary>
internal static class CommandLineText
{
    public static string OfThisProcess() => Of(Environment.GetCommandLineArgs().Skip(1));

    public static string Of(IEnumerable<string> arguments) =>
        string.Join(' ', arguments.Select(Quote).Prepend("harness"));

    /// <summary>Single-quotes an argument a POSIX shell would split or expand.</summary>
    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(character => char.IsAsciiLetterOrDigit(character) || "-_.,:/=+@%".Contains(character, StringComparison.Ordinal))
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
