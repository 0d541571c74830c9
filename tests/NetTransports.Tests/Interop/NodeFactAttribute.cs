namespace ShmIpc.NetTransports.Tests.Interop;

/// <summary>A test that needs Node.js: skipped, saying so, where no <c>node</c> is on PATH; run everywhere else.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NodeFactAttribute : FactAttribute
{
    public NodeFactAttribute()
    {
        if (NodeProcess.Executable is null)
        {
            Skip = "node is not on PATH: the interop tests run our transports against Node's own http2 and net modules";
        }
    }
}
