using ShmIpc.ShmRing;

namespace ShmIpc.Benchmarks.Ring;

/// <summary>
/// What the benchmark's consumer reads from: an SPSC <see cref="RingConsumer"/> or a <see cref="ShmRing.Broadcast.BroadcastConsumer"/>.
/// The consumer loop is generic over a struct implementing this, so each ring's calls are direct, not virtual.
/// </summary>
internal interface IRecordSource : IDisposable
{
    RingReadStatus Read(out RingRecord record, TimeSpan timeout);

    /// <summary>Moves past the record read; false if it was overwritten while being read (a lossy broadcast ring only).</summary>
    bool Release();

    /// <summary>Records this reader never saw (a lapped consumer of a lossy broadcast ring); 0 otherwise.</summary>
    long MissedRecords { get; }
}
