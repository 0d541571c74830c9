namespace ShmIpc.ShmRing.Tests.Support;

/// <summary>Tests that measure this process's CPU time run alone: a parallel test's spinning would be counted.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Serial";
}
