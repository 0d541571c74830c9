using ShmIpc.ShmRing;
using ShmIpc.ShmRing.Broadcast;

namespace ShmIpc.Benchmarks.Ring;

/// <summary>One consumer of a broadcast ring as an <see cref="IRecordSource"/>.</summary>
internal readonly struct BroadcastRecordSource(BroadcastConsumer consumer) : IRecordSource
{
    public long MissedRecords => consumer.MissedRecords;

    public RingReadStatus Read(out RingRecord record, TimeSpan timeout) => consumer.Read(out record, timeout);

    public bool Release() => consumer.Release();

    public void Dispose() => consumer.Dispose();
}
