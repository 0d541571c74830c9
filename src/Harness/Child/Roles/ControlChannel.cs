using System.Text.Json;
using System.Text.Json.Serialization;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Child.Roles;

/// <summary>
/// The child side of the parent↔child control channel: JSON events out on stdout, one a line,
/// behind <see cref="LinePrefix"/> (so stray library output cannot be mistaken for one), and
/// plain-text commands in on stdin. End of stdin means the parent is gone: abort.
/// </summary>
internal sealed class ControlChannel
{
    public const string LinePrefix = "@ctl ";
    public const string StartCommand = "start";
    public const string FinishCommand = "finish";
    public const string AbortCommand = "abort";

    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private readonly TextWriter _output;
    private readonly TextReader _input;
    private readonly object _writeLock = new();

    public ControlChannel(TextWriter output, TextReader input)
    {
        _output = output;
        _input = input;
    }

    public void Send(ControlEvent controlEvent)
    {
        string json = JsonSerializer.Serialize(controlEvent, JsonOptions);
        lock (_writeLock)
        {
            // One write per line: other writers to stdout cannot land between the prefix and the JSON.
            _output.WriteLine(LinePrefix + json);
            _output.Flush();
        }
    }

    /// <summary>Blocks for the next command; "abort" when stdin closes.</summary>
    public ParentCommand ReadCommand()
    {
        while (true)
        {
            string? line = _input.ReadLine();
            if (line is null)
            {
                return new ParentCommand(AbortCommand, 0);
            }
            string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                continue;
            }
            long argument = words.Length > 1 && long.TryParse(words[1], out long value) ? value : 0;
            return new ParentCommand(words[0], argument);
        }
    }

    /// <summary>Parses one child stdout line; null when it is not a control line.</summary>
    public static ControlEvent? TryParse(string line)
    {
        if (!line.StartsWith(LinePrefix, StringComparison.Ordinal))
        {
            return null;
        }
        return JsonSerializer.Deserialize<ControlEvent>(line.AsSpan(LinePrefix.Length), JsonOptions);
    }
}
