using Xunit;

namespace ShmIpc.TestSupport;

/// <summary>
/// Per sequence number 0..count-1: how many times a message arrived and how many of those arrivals were not intact.
/// Thread-safe: receive handlers record from any thread.
/// </summary>
public sealed class SequenceReceipts
{
    private readonly int[] _counts;
    private readonly int[] _mismatches;
    private int _received;

    public SequenceReceipts(int count)
    {
        _counts = new int[count];
        _mismatches = new int[count];
    }

    public int Received => Volatile.Read(ref _received);

    public void Record(long sequence, bool intact)
    {
        if (!intact)
        {
            Interlocked.Increment(ref _mismatches[sequence]);
        }

        Interlocked.Increment(ref _counts[sequence]);
        Interlocked.Increment(ref _received);
    }

    /// <summary>Returns once at least <paramref name="count"/> arrivals are recorded; fails the test if they are not within <paramref name="timeout"/>.</summary>
    public Task WaitForAsync(int count, TimeSpan timeout) =>
        Eventually.HoldsAsync(() => Received >= count, timeout, () => $"{count} messages received (got {Received})");

    public void AssertEachReceivedOnceIntact()
    {
        Assert.Equal(_counts.Length, Received);
        Assert.Equal(-1, Array.FindIndex(_counts, count => count != 1));
        Assert.Equal(-1, Array.FindIndex(_mismatches, count => count != 0));
    }
}
