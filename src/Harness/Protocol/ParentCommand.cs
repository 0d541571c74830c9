namespace ShmIpc.Harness.Protocol;

/// <summary>A command from the parent: its verb and one numeric argument (a time or a count).</summary>
internal readonly record struct ParentCommand(string Verb, long Argument);
