namespace ShmIpc.Harness.Tests.ProcessBoundaryFixtures.Child;

/// <summary>Breaks the rule only inside a lambda's body: nothing in a signature shows it, the IL does.</summary>
internal static class ChildUsingTheParentInABody
{
    public static Func<string> Describe() => () => new Parent.ParentOnlyType().ToString() ?? "";
}
