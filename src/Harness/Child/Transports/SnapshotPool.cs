using ShmIpc.Codecs;

namespace ShmIpc.Harness.Child.Transports;

/// <summary>
/// The pre-generated snapshots a run cycles through, identical in every process and for every
/// transport because they come from the same seed. Message n carries snapshot n mod size, so the
/// receiver knows exactly which content to expect for each sequence number.
/// </summary>
internal sealed class SnapshotPool
{
    private readonly MarketSnapshot[] _snapshots;

    public SnapshotPool(ulong seed, int instrumentCount, int size)
    {
        var generator = new SnapshotGenerator(seed);
        _snapshots = new MarketSnapshot[size];
        for (int i = 0; i < size; i++)
        {
            _snapshots[i] = generator.Generate(instrumentCount);
        }
    }

    public int Count => _snapshots.Length;

    public MarketSnapshot For(long sequence) => _snapshots[(int)(sequence % _snapshots.Length)];
}
