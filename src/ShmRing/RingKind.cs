namespace ShmIpc.ShmRing;

/// <summary>How many producers (and, for a broadcast, consumers) a ring admits. The value is stored in the segment header.</summary>
public enum RingKind
{
    /// <summary>One producer, one consumer: the claim is plain stores, the commit one release store.</summary>
    SingleProducer = 1,

    /// <summary>Many producer processes, one consumer: producers claim space with a CAS on the claim word.</summary>
    MultiProducer = 2,

    /// <summary>
    /// One producer, many consumers that each read every record at their own pace
    /// (<see cref="Broadcast.BroadcastConsumer"/>); <see cref="RingOptions.SlowConsumer"/> says what a lap-behind consumer costs.
    /// </summary>
    Broadcast = 3,
}
