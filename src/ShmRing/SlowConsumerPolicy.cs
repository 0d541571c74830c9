namespace ShmIpc.ShmRing;

/// <summary>What a broadcast producer does when a consumer falls a lap behind. Chosen by the creator, stored in the header.</summary>
public enum SlowConsumerPolicy
{
    /// <summary>The producer waits for the slowest live consumer: every consumer sees every record.</summary>
    Lossless = 1,

    /// <summary>
    /// The producer never waits: a consumer that falls a lap behind detects it, counts exactly how many records it
    /// missed and resynchronises on the newest record (the usual choice for market data).
    /// </summary>
    Lossy = 2,
}
