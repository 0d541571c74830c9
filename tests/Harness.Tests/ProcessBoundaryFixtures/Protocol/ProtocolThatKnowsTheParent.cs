using ShmIpc.Harness.Tests.ProcessBoundaryFixtures.Parent;

namespace ShmIpc.Harness.Tests.ProcessBoundaryFixtures.Protocol;

/// <summary>Breaks the rule in a method signature: the protocol must know neither side.</summary>
internal static class ProtocolThatKnowsTheParent
{
    public static ParentOnlyType? Find() => null;
}
