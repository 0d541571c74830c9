using ShmIpc.Codecs.Protobuf;

namespace ShmIpc.NetTransports.Tests.Grpc;

/// <summary>Per sequence number: how many times a snapshot arrived and whether its content matched what was sent.</summary>
internal sealed class SnapshotReceipts
{
    private readonly int[] counts;
    private readonly int[] mismatches;
    private int received;

    public SnapshotReceipts(int count)
    {
        counts = new int[count];
        mismatches = new int[count];
    }

    public int Received => Volatile.Read(ref received);

    public void Record(Snapshot snapshot)
    {
        long sequence = snapshot.Sequence;
        if (TestSnapshots.Hash(snapshot) != TestSnapshots.Hash(TestSnapshots.Create(sequence)))
        {
            Interlocked.Increment(ref mismatches[sequence]);
        }

        Interlocked.Increment(ref counts[sequence]);
        Interlocked.Increment(ref received);
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
        Assert.Equal(counts.Length, Received);
        Assert.Equal(-1, Array.FindIndex(counts, count => count != 1));
        Assert.Equal(-1, Array.FindIndex(mismatches, count => count != 0));
    }
}
