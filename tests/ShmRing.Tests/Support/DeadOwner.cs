namespace ShmIpc.ShmRing.Tests.Support;

/// <summary>Owner words naming a process proven dead, to play a producer killed at a chosen step inside one test process.</summary>
internal static class DeadOwner
{
    // No process has this pid (above Linux's maximum pid_max of 2^22).
    public const int Pid = 0x3FFF_FFFF;

    public static ulong Word => OwnerWord.Attached(new ProcessIdentity(Pid, 1));

    /// <summary>The producer's slot now names a dead process: to the consumer, the producer was killed right here.</summary>
    public static void Kill(RingProducer producer) => Volatile.Write(ref producer.Slot.Owner, Word);
}
