using System.Buffers;

namespace ShmIpc.NetTransports.Tests;

/// <summary>Records, per sequence number, how many times a frame arrived and whether its content matched.</summary>
internal sealed class FrameReceipts
{
    private readonly int[] counts;
    private readonly int[] mismatches;
    private int received;

    public FrameReceipts(int frameCount)
    {
        counts = new int[frameCount];
        mismatches = new int[frameCount];
    }

    public int Received => Volatile.Read(ref received);

    public void Record(in ReadOnlySequence<byte> payload)
    {
        long sequence = TestFrames.SequenceOf(payload);
        if (TestFrames.Hash(payload) != TestFrames.ExpectedHash(sequence))
        {
            Interlocked.Increment(ref mismatches[sequence]);
        }

        Interlocked.Increment(ref counts[sequence]);
        Interlocked.Increment(ref received);
    }

    public async Task WaitForAsync(int frameCount, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Received < frameCount && DateTime.UtcNow < deadline)
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
