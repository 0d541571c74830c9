namespace ShmIpc.ShmRing.TestPeer;

/// <summary>How many records the produce command has committed (written on its one thread, read by its step hook).</summary>
internal sealed class ProduceProgress
{
    public long Committed { get; set; }
}
