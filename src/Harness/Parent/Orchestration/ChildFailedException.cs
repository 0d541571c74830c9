namespace ShmIpc.Harness.Parent.Orchestration;

/// <summary>A sender or receiver process failed; the message says which and why.</summary>
internal sealed class ChildFailedException : Exception
{
    public ChildFailedException(string message) : base(message)
    {
    }
}
