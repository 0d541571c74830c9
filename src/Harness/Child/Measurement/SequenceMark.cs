namespace ShmIpc.Harness.Child.Measurement;

/// <summary>What <see cref="SequenceTracker.Mark"/> found.</summary>
internal enum SequenceMark
{
    /// <summary>The first time this sequence number arrived.</summary>
    First,

    /// <summary>It had arrived before.</summary>
    Duplicate,

    /// <summary>Negative or beyond anything the sender could have sent: a corrupt or foreign message.</summary>
    OutOfRange,
}
