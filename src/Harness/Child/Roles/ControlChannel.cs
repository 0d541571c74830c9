using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Child.Roles;

/// <summary>
/// The child's end of the control channel (<see cref="ControlLines"/>): events out on stdout, commands in on
/// stdin. End of stdin means the parent is gone: abort.
/// </summary>
internal sealed class ControlChannel
{
    private readonly TextWriter _output;
    private readonly TextReader _input;
    private readonly Lock _writeLock = new();

    public ControlChannel(TextWriter output, TextReader input)
    {
        _output = output;
        _input = input;
    }

    public void Send(ControlEvent controlEvent)
    {
        string line = ControlLines.FormatEvent(controlEvent);
        lock (_writeLock)
        {
            // One write per line: other writers to stdout cannot land between the prefix and the JSON.
            _output.WriteLine(line);
            _output.Flush();
        }
    }

    /// <summary>Blocks for the next command; <see cref="ParentCommand.Abort"/> when stdin closes.</summary>
    public ParentCommand ReadCommand()
    {
        while (_input.ReadLine() is string line)
        {
            if (ControlLines.TryParseCommand(line) is ParentCommand command)
            {
                return command;
            }
        }
        return ParentCommand.Abort;
    }
}
