using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Tests;

public sealed class ProcessBoundaryTests
{
    [Fact]
    public void ParentAndChild_MeetOnlyThroughTheProtocol()
    {
        IReadOnlyList<string> violations = ProcessBoundary.Violations(typeof(RunSettings).Assembly, "ShmIpc.Harness");
        Assert.True(violations.Count == 0, "references across the process boundary:\n" + string.Join('\n', violations));
    }

    [Fact]
    public void TheCheck_FindsReferencesInSignatures_Fields_AndMethodBodies()
    {
        const string Root = "ShmIpc.Harness.Tests.ProcessBoundaryFixtures";
        IReadOnlyList<string> violations = ProcessBoundary.Violations(typeof(ProcessBoundaryTests).Assembly, Root);

        Assert.Contains(violations, line => line.StartsWith($"Protocol -> Parent: {Root}.Protocol.ProtocolThatKnowsTheParent (method Find)", StringComparison.Ordinal));
        Assert.Contains(violations, line => line.StartsWith($"Child -> Parent: {Root}.Child.ChildWithAParentField (field _parents)", StringComparison.Ordinal));
        // The lambda is compiled into a nested class of the child type: its namespace is the child's.
        Assert.Contains(violations, line => line.StartsWith($"Child -> Parent: {Root}.Child.ChildUsingTheParentInABody+", StringComparison.Ordinal)
            && line.EndsWith($"uses {Root}.Parent.ParentOnlyType", StringComparison.Ordinal));
        // Protocol types are allowed on both sides.
        Assert.DoesNotContain(violations, line => line.Contains("SharedMessage", StringComparison.Ordinal));
        Assert.DoesNotContain(violations, line => line.StartsWith("Parent ->", StringComparison.Ordinal));
    }
}
