using ShmIpc.Codecs.Protobuf;

namespace ShmIpc.NetTransports.Tests.Grpc;

/// <summary>Per sequence number: how many times a snapshot arrived and whether its content matched what was sent.</summary>
internal sealed class SnapshotReceipts
{
    private readonly int[] _counts;
    private readonly int[] _mismatches;
    private int _received;

    public SnapshotReceipts(int count)
    {
        _counts = new int[count];
        _mismatches = new int[count];
    }

    public int Received => Volatile.Read(ref _received);

    public void Record(Snapshot snapshot)
    {
        long sequence = snapshot.Sequence;
        if (TestSnapshots.Hash(snapshot) != TestSnapshots.Hash(TestSnapshots.Create(sequence)))
        {
            Interlocked.Increment(ref _mismatches[sequence]);
        }

        Interlocked.Increment(ref _counts[sequence]);
        Interlocked.Increment(ref _received);
    }

    public async Task WaitForAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Received < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }
    }

    public void AssertEachReceivedOnceIntact()
    {
        Assert.Equal(_counts.Length, Received);
        Assert.Equal(-1, Array.FindIndex(_counts, count => count != 1));
        Assert.Equal(-1, Array.FindIndex(_mismatches, count => count != 0));
    }
}
