using ShmIpc.ShmRing;

namespace ShmIpc.Benchmarks.Ring;

/// <summary>The SPSC ring's consumer as an <see cref="IRecordSource"/>.</summary>
internal readonly struct SpscRecordSource(RingConsumer consumer) : IRecordSource
{
    public long MissedRecords => 0;

    public RingReadStatus Read(out RingRecord record, TimeSpan timeout) => consumer.Read(out record, timeout);

    public bool Release()
    {
        consumer.Release();
        return true;
    }

    public void Dispose() => consumer.Dispose();
}
