using System.Globalization;
using System.Text.RegularExpressions;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>
/// The sampled allocation sources of a row (<c>--alloc-sources</c>) as lines for people: bytes per message and a
/// type name a reader can place (an async method's boxed state machine is named by its method).
/// </summary>
internal static partial class AllocationSourceLines
{
    private const int LongestTypeName = 110;

    /// <summary>One line per sampled type, side by side, after a line naming the row and the side's total.</summary>
    public static IEnumerable<string> Of(TransportResult row)
    {
        if (row.AllocationSources is not { } sources)
        {
            yield break;
        }
        foreach ((string side, IReadOnlyList<AllocationSource> list, double? total) in new[]
        {
            ("sender", sources.Sender, row.AllocatedBytesPerMessage?.Sender),
            ("receiver", sources.Receiver, row.AllocatedBytesPerMessage?.Receiver),
        })
        {
            if (list.Count == 0)
            {
                continue;
            }
            yield return string.Create(CultureInfo.InvariantCulture,
                $"  {row.Transport} {side}: {total ?? 0:N0} B/msg allocated; by type (sampled every ~100 KB, so approximate):");
            foreach (AllocationSource source in list)
            {
                yield return string.Create(CultureInfo.InvariantCulture, $"    {source.Bytes,8:N0} B/msg  {ReadableType(source.Type)}");
            }
        }
    }

    /// <summary>
    /// <c>AsyncStateMachineBox`1[VoidTaskResult,Ns.Type+&lt;Method&gt;d__9`1[...]]</c> becomes
    /// <c>async state of Ns.Type.Method</c>; generic arities (<c>`1</c>) go; very long names are cut.
    /// </summary>
    public static string ReadableType(string type)
    {
        Match stateMachine = StateMachinePattern().Match(type);
        if (type.StartsWith("AsyncStateMachineBox", StringComparison.Ordinal) && stateMachine.Success)
        {
            string owner = ArityPattern().Replace(stateMachine.Groups["owner"].Value, "").Replace('+', '.');
            string method = stateMachine.Groups["local"].Success
                ? $"{stateMachine.Groups["method"].Value}.{stateMachine.Groups["local"].Value}"
                : stateMachine.Groups["method"].Value;
            return $"async state of {owner}.{method}";
        }
        string readable = ArityPattern().Replace(type, "");
        return readable.Length <= LongestTypeName ? readable : string.Concat(readable.AsSpan(0, LongestTypeName - 1), "…");
    }

    // Owner+<Method>d__N, or for a local function Owner+<<Method>g__Local|N_M>d.
    [GeneratedRegex(@"(?<owner>[\w.`+]+)\+<(?:<(?<method>[^<>]+)>g__(?<local>[^|>]+)\|[^>]*|(?<method>[^<>]+))>d")]
    private static partial Regex StateMachinePattern();

    [GeneratedRegex(@"`\d+")]
    private static partial Regex ArityPattern();
}
