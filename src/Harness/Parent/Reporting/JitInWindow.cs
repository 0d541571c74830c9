namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>What one side's JIT compiled inside the window: methods, and the JIT's time for them in ms.</summary>
internal sealed record JitInWindow(long Methods, double Milliseconds);
