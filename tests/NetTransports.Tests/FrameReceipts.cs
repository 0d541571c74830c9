using System.Buffers;

namespace ShmIpc.NetTransports.Tests;

/// <summary>Records, per sequence number, how many times a frame arrived and whether its content matched.</summary>
internal sealed class FrameReceipts
{
    private readonly int[] _counts;
    private readonly int[] _mismatches;
    private int _received;

    public FrameReceipts(int frameCount)
    {
        _counts = new int[frameCount];
        _mismatches = new int[frameCount];
    }

    public int Received => Volatile.Read(ref _received);

    public void Record(in ReadOnlySequence<byte> payload)
    {
        long sequence = TestFrames.SequenceOf(payload);
        if (TestFrames.Hash(payload) != TestFrames.ExpectedHash(sequence))
        {
            Interlocked.Increment(ref _mismatches[sequence]);
        }

        Interlocked.Increment(ref _counts[sequence]);
        Interlocked.Increment(ref _received);
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
        Assert.Equal(_counts.Length, Received);
        Assert.Equal(-1, Array.FindIndex(_counts, count => count != 1));
        Assert.Equal(-1, Array.FindIndex(_mismatches, count => count != 0));
    }
}
