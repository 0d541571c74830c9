namespace ShmIpc.Harness.Tests.ProcessBoundaryFixtures.Protocol;

/// <summary>A protocol type both sides may use.</summary>
internal sealed class SharedMessage;
