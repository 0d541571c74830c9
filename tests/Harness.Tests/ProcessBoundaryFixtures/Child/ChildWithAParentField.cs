using ShmIpc.Harness.Tests.ProcessBoundaryFixtures.Parent;
using ShmIpc.Harness.Tests.ProcessBoundaryFixtures.Protocol;

namespace ShmIpc.Harness.Tests.ProcessBoundaryFixtures.Child;

/// <summary>Breaks the rule through a field (its protocol field is allowed).</summary>
internal sealed class ChildWithAParentField
{
    private readonly List<ParentOnlyType> _parents = [];
    private readonly SharedMessage _message = new();

    public int Count => _parents.Count + (_message is null ? 0 : 1);
}
