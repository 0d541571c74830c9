namespace ShmIpc.Harness.Parent.Reporting;

/// <summary>Garbage collections per generation over the window.</summary>
internal sealed record GarbageCollections(int Gen0, int Gen1, int Gen2);
