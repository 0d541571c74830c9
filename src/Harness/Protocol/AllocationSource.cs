namespace ShmIpc.Harness.Protocol;

/// <summary>
/// One type of object a process allocated in the measurement window, with the bytes the runtime's allocation
/// sampling attributed to it. <paramref name="Bytes"/> is a rate (per second) in a child's report and per message
/// in a result row.
/// </summary>
internal sealed record AllocationSource(string Type, double Bytes);
