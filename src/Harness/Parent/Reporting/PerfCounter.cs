namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>One event <c>perf stat</c> counted for a process over the window: its value (null when not counted or not supported, with <see cref="Status"/> saying which) and unit.</summary>
internal sealed record PerfCounter(string Event, double? Value, string Unit, string? Status);
