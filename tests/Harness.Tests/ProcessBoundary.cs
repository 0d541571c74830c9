using System.Reflection;

namespace ShmIpc.Harness.Tests;

/// <summary>
/// The harness's rule for its process boundary: the parent process's code (<c>Parent</c>) and the children's
/// (<c>Child</c>) meet only through <c>Protocol</c>, which references neither; nothing but <c>Cli</c>, which wires
/// both sides, references <c>Cli</c>. Types outside these namespaces (the entry point, compiler-generated helpers)
/// are not checked.
/// </summary>
internal static class ProcessBoundary
{
    private const string Protocol = "Protocol";
    private const string Parent = "Parent";
    private const string Child = "Child";
    private const string Cli = "Cli";

    private static readonly Dictionary<string, string[]> AllowedBySide = new()
    {
        [Protocol] = [Protocol],
        [Parent] = [Parent, Protocol],
        [Child] = [Child, Protocol],
        [Cli] = [Cli, Parent, Child, Protocol],
    };

    /// <summary>Every reference in <paramref name="assembly"/> that breaks the rule, for the sides under <paramref name="rootNamespace"/>.</summary>
    public static IReadOnlyList<string> Violations(Assembly assembly, string rootNamespace)
    {
        var violations = new SortedSet<string>(StringComparer.Ordinal);
        foreach (Type type in assembly.GetTypes())
        {
            if (SideOf(type, rootNamespace) is not string side)
            {
                continue;
            }
            foreach ((Type referenced, string where) in TypeReferences.Of(type))
            {
                if (SideOf(referenced, rootNamespace) is string referencedSide && !AllowedBySide[side].Contains(referencedSide))
                {
                    violations.Add($"{side} -> {referencedSide}: {type.FullName} ({where}) uses {referenced.FullName}");
                }
            }
        }
        return [.. violations];
    }

    private static string? SideOf(Type type, string rootNamespace)
    {
        string name = type.Namespace ?? "";
        foreach (string side in AllowedBySide.Keys)
        {
            string sideNamespace = $"{rootNamespace}.{side}";
            if (name == sideNamespace || name.StartsWith(sideNamespace + ".", StringComparison.Ordinal))
            {
                return side;
            }
        }
        return null;
    }
}
