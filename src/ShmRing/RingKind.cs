namespace ShmIpc.ShmRing;

/// <summary>How many producers a ring admits. The value is stored in the segment header.</summary>
public enum RingKind
{
    /// <summary>One producer, one consumer: the claim is plain stores, the commit one release store.</summary>
    SingleProducer = 1,

    /// <summary>Many producer processes, one consumer: producers claim space with a CAS on the claim word.</summary>
    MultiProducer = 2,
}
