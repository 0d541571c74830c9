namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>
/// Where a transport's latency stops scaling with the payload: the first size of a sweep whose p99 grew by a larger
/// factor than the payload did from the size before it (latency per byte began to rise: a cache, a copy path or a
/// transport buffer ran out). Below it, per-message costs dominate and bigger messages are nearly free.
/// </summary>
internal static class SweepKnee
{
    /// <summary>The knee's payload size, or null when latency per byte never rose (or there are fewer than two sizes).</summary>
    public static int? Of(IReadOnlyList<(int PayloadBytes, long P99Ns)> points)
    {
        (int PayloadBytes, long P99Ns)[] ordered = [.. points.Where(point => point.P99Ns > 0).OrderBy(point => point.PayloadBytes)];
        for (int index = 1; index < ordered.Length; index++)
        {
            double latencyGrowth = (double)ordered[index].P99Ns / ordered[index - 1].P99Ns;
            double sizeGrowth = (double)ordered[index].PayloadBytes / ordered[index - 1].PayloadBytes;
            if (latencyGrowth > sizeGrowth)
            {
                return ordered[index].PayloadBytes;
            }
        }
        return null;
    }
}
