namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>A figure for each of the two processes.</summary>
internal sealed record PerSide<T>(T Sender, T Receiver);
