namespace ShmIpc.Harness.Tests.Child.Measurement;

/// <summary>Tests that measure the whole test process (its allocation): never alongside other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideMeasurementCollection
{
    public const string Name = "process-wide measurement";
}
