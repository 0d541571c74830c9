using ShmIpc.Harness.Configuration;
using ShmIpc.Harness.Reporting;

namespace ShmIpc.Harness.Orchestration;

/// <summary>What the parent shows while it waits: phases of each run and each finished row.</summary>
internal interface IRunProgress
{
    void Phase(RunSettings settings, string text);

    /// <summary>The schedule starts at <paramref name="runStartNanoseconds"/>; warm-up and measurement follow.</summary>
    void Running(RunSettings settings, long runStartNanoseconds);

    void Finished(TransportResult result);
}
