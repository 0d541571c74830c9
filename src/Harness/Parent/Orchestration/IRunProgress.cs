using ShmIpc.Harness.Parent.Reporting;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Parent.Orchestration;

/// <summary>What the parent shows while it waits: phases of each run and each finished row.</summary>
internal interface IRunProgress
{
    void Phase(RunSettings settings, string text);

    /// <summary>The schedule has started: warm-up, then measurement.</summary>
    void Running(RunSettings settings);

    void Finished(TransportResult result);
}
