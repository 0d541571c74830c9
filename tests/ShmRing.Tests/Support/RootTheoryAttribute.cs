namespace ShmIpc.ShmRing.Tests.Support;

/// <summary>A test that runs a peer as another user (setpriv): skipped, saying so, unless the tests run as root.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RootTheoryAttribute : TheoryAttribute
{
    public RootTheoryAttribute()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Skip = "not root: running a peer as another user (nobody) needs setpriv as root";
        }
    }
}
