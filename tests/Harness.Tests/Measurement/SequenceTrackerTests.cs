using ShmIpc.Harness.Measurement;

namespace ShmIpc.Harness.Tests.Measurement;

public sealed class SequenceTrackerTests
{
    [Fact]
    public void Mark_CountsUniqueDuplicateAndForeignSequences()
    {
        var tracker = new SequenceTracker(100);
        tracker.Mark(0);
        tracker.Mark(63);
        tracker.Mark(64);
        tracker.Mark(63);
        tracker.Mark(-1);
        tracker.Mark(tracker.Capacity);
        Assert.Equal(3, tracker.Unique);
        Assert.Equal(1, tracker.Duplicates);
        Assert.Equal(2, tracker.OutOfRange);
    }

    [Fact]
    public void Mark_IsExactFromManyThreads()
    {
        var tracker = new SequenceTracker(400_000);
        Parallel.For(0, 4, worker =>
        {
            for (long sequence = worker; sequence < 400_000; sequence += 4)
            {
                tracker.Mark(sequence);
            }
            // Every thread also re-marks the same 1,000 sequences: 4,000 duplicates in all.
            for (long sequence = 0; sequence < 1_000; sequence++)
            {
                tracker.Mark(sequence);
            }
        });
        Assert.Equal(400_000, tracker.Unique);
        Assert.Equal(4_000, tracker.Duplicates);
    }
}
