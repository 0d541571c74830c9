using System.Globalization;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Parent;

/// <summary>
/// The runs of a comparison, in the order they run: each payload size, every transport at it. The parent names
/// each shm run's segment itself (<c>shmipc-harness-PID-INDEX</c>), so that it can remove what a killed receiver
/// leaves behind.
/// </summary>
internal static class ComparisonPlan
{
    public static IReadOnlyList<RunSettings> Build(IReadOnlyList<TransportKind> transports, IReadOnlyList<int> payloadSizes, RunOptions options)
    {
        var plan = new List<RunSettings>();
        foreach (int size in payloadSizes.Distinct())
        {
            foreach (TransportKind transport in transports)
            {
                RunSettings settings = RunSettings.For(transport, size, options);
                plan.Add(settings.UsesSegment ? settings with { SegmentName = SegmentName(plan.Count) } : settings);
            }
        }
        return plan;
    }

    private static string SegmentName(int index) =>
        string.Create(CultureInfo.InvariantCulture, $"shmipc-harness-{Environment.ProcessId}-{index}");
}
