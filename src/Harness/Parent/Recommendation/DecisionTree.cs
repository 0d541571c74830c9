using System.Globalization;
using ShmIpc.Harness.Parent.Reporting;

namespace ShmIpc.Harness.Parent.Recommendation;

/// <summary>
/// The whole decision, in one place, read top to bottom:
/// <list type="number">
/// <item>Same host: the shared-memory ring. Its codec: raw (a fixed layout, the fastest read) when both ends are .NET
/// and the schema is fixed; FlatBuffers (read in place, fields can be added, generated readers in most languages)
/// otherwise. Fan-out over one: one ring per consumer (the ring is single-consumer).</item>
/// <item>Across hosts, with another language or an evolving schema: gRPC with Protobuf (a schema, evolution rules and
/// generated clients everywhere); if its measured p99 misses the budget, FlatBuffers over HTTP/2 (still a schema, no
/// decode step).</item>
/// <item>Across hosts, .NET on both ends and a fixed schema: MessagePack over TCP (no framework between the bytes and
/// the socket).</item>
/// <item>Last, the measurements: the choice is checked against the budget with its measured p99, a row measured on a
/// noisy host or not ok says so, and when the choice misses the budget the fastest measured row that meets it and the
/// constraints is named.</item>
/// </list>
/// </summary>
internal static class DecisionTree
{
    public static Advice Recommend(Constraints constraints, ComparisonReport? measured)
    {
        var reasons = new List<string>();
        (string transport, string codec) = Choose(constraints, measured, reasons);
        TransportResult? row = Find(measured, transport, codec);
        if (measured is null)
        {
            reasons.Add("no measured results given (--results DIR): the choice rests on the rules alone");
        }
        else if (row?.LatencyNs is null)
        {
            reasons.Add($"{transport}/{codec} was not measured in these results: run harness compare with it before relying on this");
        }
        else
        {
            reasons.Add(Invariant($"measured: {transport}/{codec} delivered {row.AchievedMsgPerSec:N0} msg/s of {row.PayloadBytes:N0} B, p50 {DurationText.Of(row.LatencyNs.P50)}, p99 {DurationText.Of(row.LatencyNs.P99)}, status {row.Status}"));
            if (row.Status != TransportResult.StatusOk)
            {
                reasons.Add($"that row was not ok ({row.Status}{(row.Reason is null ? "" : ": " + row.Reason)}): its latency is not the transport's alone");
            }
            if (row.Interference is { Noisy: true } noisy)
            {
                reasons.Add(Invariant($"those figures were measured on a noisy host ({noisy.TotalPercent:0}% of a core taken by other work): rerun on a quiet machine before trusting the tail"));
            }
            if (constraints.LatencyBudget is TimeSpan budget)
            {
                long budgetNs = (long)budget.TotalNanoseconds;
                if (row.LatencyNs.P99 <= budgetNs)
                {
                    reasons.Add($"its p99 {DurationText.Of(row.LatencyNs.P99)} is within the {DurationText.Of(budgetNs)} budget");
                }
                else
                {
                    reasons.Add($"its p99 {DurationText.Of(row.LatencyNs.P99)} misses the {DurationText.Of(budgetNs)} budget");
                    TransportResult? fits = measured.Results
                        .Where(candidate => candidate.LatencyNs is { } latency && latency.P99 <= budgetNs && Allowed(constraints, candidate))
                        .MinBy(candidate => candidate.LatencyNs!.P99);
                    reasons.Add(fits is null
                        ? "no measured row that meets the constraints is within the budget"
                        : $"within the budget and the constraints: {fits.Transport}/{fits.Codec}, p99 {DurationText.Of(fits.LatencyNs!.P99)}");
                }
            }
        }
        return new Advice(transport, codec, reasons);
    }

    private static (string Transport, string Codec) Choose(Constraints constraints, ComparisonReport? measured, List<string> reasons)
    {
        if (constraints.SameHost)
        {
            reasons.Add("both ends on one host: the shared-memory ring (no copy through the kernel, no socket)");
            if (constraints.FanOut > 1)
            {
                reasons.Add(Invariant($"fan-out {constraints.FanOut}: the ring has one consumer, so give each consumer its own ring (the producer encodes once per ring)"));
            }
            if (constraints.BothDotNet && !constraints.SchemaEvolution)
            {
                reasons.Add("both ends .NET and a fixed schema: the raw fixed layout, the fastest to write and read in place");
                return ("shm", "raw");
            }
            reasons.Add(constraints.SchemaEvolution
                ? "the schema must evolve: FlatBuffers in the ring (fields can be added; read in place, no decode)"
                : "another language on one end: FlatBuffers in the ring (generated readers in most languages; the ring's layout is a C contract, docs/ring-layout.md)");
            return ("shm", "fb");
        }
        reasons.Add("the ends are on different hosts: shared memory is out, a network transport it is");
        if (!constraints.BothDotNet || constraints.SchemaEvolution)
        {
            reasons.Add(constraints.SchemaEvolution
                ? "the schema must evolve: gRPC with Protobuf (field numbers, evolution rules, generated clients everywhere)"
                : "another language on one end: gRPC with Protobuf (generated clients in every mainstream language)");
            TransportResult? grpc = Find(measured, "grpc", "protobuf");
            if (constraints.LatencyBudget is TimeSpan budget && grpc?.LatencyNs is { } latency && latency.P99 > budget.TotalNanoseconds
                && Find(measured, "fb", "fb")?.LatencyNs is { } flat && flat.P99 <= budget.TotalNanoseconds)
            {
                reasons.Add($"but gRPC's measured p99 {DurationText.Of(latency.P99)} misses the budget and FlatBuffers over HTTP/2 meets it ({DurationText.Of(flat.P99)}): still a schema, and no decode step");
                return ("fb", "fb");
            }
            return ("grpc", "protobuf");
        }
        reasons.Add("both ends .NET and a fixed schema: MessagePack over TCP (length-prefixed frames, nothing between the bytes and the socket)");
        return ("msgpack", "msgpack");
    }

    /// <summary>Whether a measured row could serve these constraints at all (the codec rules above, the host rule).</summary>
    private static bool Allowed(Constraints constraints, TransportResult row) =>
        (constraints.SameHost || row.Transport != "shm")
        && (!constraints.SchemaEvolution || row.Codec is "fb" or "protobuf")
        && (constraints.BothDotNet || row.Codec != "raw");

    private static TransportResult? Find(ComparisonReport? measured, string transport, string codec) =>
        measured?.Results.FirstOrDefault(row => row.Transport == transport && row.Codec == codec);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
