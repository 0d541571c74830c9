using ShmIpc.Harness.Child.Measurement;

namespace ShmIpc.Harness.Tests.Child.Measurement;

public sealed class SequenceTrackerTests
{
    [Fact]
    public void Mark_TellsFirstDuplicateAndForeignSequences()
    {
        var tracker = new SequenceTracker(100);
        Assert.Equal(SequenceMark.First, tracker.Mark(0));
        Assert.Equal(SequenceMark.First, tracker.Mark(63));
        Assert.Equal(SequenceMark.First, tracker.Mark(64));
        Assert.Equal(SequenceMark.Duplicate, tracker.Mark(63));
        Assert.Equal(SequenceMark.OutOfRange, tracker.Mark(-1));
        Assert.Equal(SequenceMark.OutOfRange, tracker.Mark(tracker.Capacity));
        Assert.Equal(3, tracker.CountUnique());
    }

    [Fact]
    public void Mark_IsExactFromManyThreads()
    {
        var tracker = new SequenceTracker(400_000);
        long duplicates = 0;
        Parallel.For(0, 4, worker =>
        {
            // Each thread marks its quarter, then marks 0..999 again: 4,000 marks too many, whichever comes first.
            for (long sequence = worker; sequence < 400_000; sequence += 4)
            {
                Count(tracker.Mark(sequence));
            }
            for (long sequence = 0; sequence < 1_000; sequence++)
            {
                Count(tracker.Mark(sequence));
            }
        });
        Assert.Equal(400_000, tracker.CountUnique());
        Assert.Equal(4_000, duplicates);

        void Count(SequenceMark mark)
        {
            if (mark == SequenceMark.Duplicate)
            {
                Interlocked.Increment(ref duplicates);
            }
        }
    }
}
