namespace ShmIpc.ShmRing;

/// <summary>
/// The named protocol steps at which <see cref="RingStepHooks"/> calls a test's <see cref="IRingStepHook"/>: each is a
/// point where another party (or a kill) can come between two stores or two loads of docs/ring-layout.md.
/// </summary>
internal enum RingStep
{
    /// <summary>MPSC producer: its intent is stored, the claim CAS not yet tried. Position: the claim's start.</summary>
    ProducerIntentStored,

    /// <summary>Producer: space claimed (MPSC: CAS won, padding published), nothing of the record written. Position: the record.</summary>
    ProducerClaimed,

    /// <summary>Producer: the commit tag is stored; SPSC: the producer position not yet, MPSC: the intent not yet cleared.</summary>
    ProducerCommitted,

    /// <summary>MPSC consumer, stuck at a claimed position (its tag was unpublished): the intent scan starts. Position: the stuck one.</summary>
    ConsumerScanStarting,

    /// <summary>MPSC consumer: one slot's intent covering the stuck position is read, its owner word not yet. Position: the intent's end.</summary>
    ConsumerIntentRead,

    /// <summary>MPSC consumer, stuck at a claimed position: the intents are scanned, the tag not yet re-loaded. Position: the stuck one.</summary>
    ConsumerIntentsScanned,

    /// <summary>MPSC consumer: a dead claim is proven, the skip not yet applied. Position: the skip target.</summary>
    ConsumerSkipping,
}
