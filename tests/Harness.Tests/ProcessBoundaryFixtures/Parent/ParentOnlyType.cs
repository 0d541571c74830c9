using ShmIpc.Harness.Tests.ProcessBoundaryFixtures.Protocol;

namespace ShmIpc.Harness.Tests.ProcessBoundaryFixtures.Parent;

/// <summary>A parent-side type; it may use the protocol.</summary>
internal sealed class ParentOnlyType
{
    public SharedMessage Message { get; } = new();
}
