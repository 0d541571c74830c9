using System.Globalization;
using System.Text.Json;

namespace ShmIpc.Harness.Protocol;

/// <summary>
/// The lines parent and child exchange over the child's stdin and stdout. Child to parent: one JSON
/// <see cref="ControlEvent"/> a line, behind <see cref="EventPrefix"/> so that nothing a library prints can be
/// mistaken for one. Parent to child: a <see cref="ParentCommand"/> as plain text, its verb and its argument.
/// </summary>
internal static class ControlLines
{
    public const string EventPrefix = "@ctl ";

    public static string FormatEvent(ControlEvent controlEvent) =>
        EventPrefix + JsonSerializer.Serialize(controlEvent, ProtocolJson.Options);

    /// <summary>The event on one line of a child's stdout; null when the line is not a control line.</summary>
    public static ControlEvent? TryParseEvent(string line) =>
        line.StartsWith(EventPrefix, StringComparison.Ordinal)
            ? JsonSerializer.Deserialize<ControlEvent>(line.AsSpan(EventPrefix.Length), ProtocolJson.Options)
            : null;

    public static string FormatCommand(ParentCommand command) =>
        command.Verb == ParentCommand.AbortVerb
            ? command.Verb
            : string.Create(CultureInfo.InvariantCulture, $"{command.Verb} {command.Argument}");

    /// <summary>The command on one line of a child's stdin; null for a blank line.</summary>
    public static ParentCommand? TryParseCommand(string line)
    {
        string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return null;
        }
        long argument = words.Length > 1 && long.TryParse(words[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) ? value : 0;
        return new ParentCommand(words[0], argument);
    }
}
