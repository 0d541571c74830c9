namespace ShmIpc.Harness.Tests.EndToEnd;

/// <summary>End-to-end tests start real processes and measure: never two at once.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndCollection
{
    public const string Name = "end-to-end";
}
