namespace ShmIpc.ShmRing;

/// <summary>A producer or consumer whose counters the meter reports.</summary>
internal interface IRingCounterSource
{
    string Name { get; }

    string Role { get; }

    RingCounters Counters { get; }
}
