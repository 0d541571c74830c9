using ShmIpc.Harness.Child.Measurement;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Tests.Child.Measurement;

public sealed class LatencyRecorderTests
{
    [Fact]
    public void Record_KeepsLatenciesOfTheWindowOnly_AndMeasuresFromTheIntendedSendTime()
    {
        var recording = new LatencyRecording(1_000);
        long now = MonotonicClock.NowNanoseconds();
        recording.Window = new MeasurementWindow(now - 1_000_000_000, now + 60_000_000_000);
        LatencyRecorder recorder = recording.CreateRecorder();

        recorder.Record(sequence: 1, intendedSendNanoseconds: now - 2_000_000_000, payloadBytes: 100); // warm-up: counted, not recorded
        recorder.Record(sequence: 2, intendedSendNanoseconds: now - 500_000_000, payloadBytes: 100);   // 0.5 s late

        RecordingTotals totals = recording.Complete();
        Assert.Equal(2, totals.Received);
        Assert.Equal(1, totals.Histogram.TotalCount);
        Assert.InRange(totals.Histogram.GetValueAtPercentile(100), 500_000_000, 600_000_000);
        Assert.Equal(2, totals.ReceivedInWindow);
        Assert.Equal(200, totals.BytesInWindow);
        Assert.Equal(2, totals.Unique);
    }

    [Fact]
    public void NothingIsMeasured_BeforeTheRunStarts()
    {
        var recording = new LatencyRecording(10);
        recording.CreateRecorder().Record(0, MonotonicClock.NowNanoseconds(), 10);
        RecordingTotals totals = recording.Complete();
        Assert.Equal(1, totals.Received);
        Assert.Equal(0, totals.Histogram.TotalCount);
        Assert.Equal(0, totals.ReceivedInWindow);
        Assert.False(recording.IsStarted);
    }

    [Fact]
    public void StartWindowAtFirstMessage_OpensTheWindowByThisHostsClock_NotTheSendersStamp()
    {
        var recording = new LatencyRecording(10);
        recording.StartWindowAtFirstMessage(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        long before = MonotonicClock.NowNanoseconds();
        // A stamp from another host's clock: wildly off from ours.
        recording.CreateRecorder().Record(0, intendedSendNanoseconds: 42, payloadBytes: 10);
        long after = MonotonicClock.NowNanoseconds();
        Assert.True(recording.IsStarted);
        Assert.InRange(recording.Window.StartNanoseconds, before + 1_000_000_000, after + 1_000_000_000);
        Assert.Equal(2_000_000_000, recording.Window.LengthNanoseconds);
    }

    [Fact]
    public void Complete_MergesEveryThreadsRecorder_AndCountsDuplicatesAcrossThem()
    {
        var recording = new LatencyRecording(100_000);
        long now = MonotonicClock.NowNanoseconds();
        recording.Window = new MeasurementWindow(now - 1_000_000_000, now + 60_000_000_000);
        Parallel.For(0, 4, worker =>
        {
            LatencyRecorder recorder = recording.CreateRecorder();
            for (long sequence = worker; sequence < 40_000; sequence += 4)
            {
                recorder.Record(sequence, now, 10);
            }
            // Every thread also delivers sequences 0..99 again: 400 duplicates in all (100 of them are thread 0's own).
            for (long sequence = 0; sequence < 100; sequence++)
            {
                recorder.Record(sequence, now, 10);
            }
            recorder.Record(-1, now, 10);
        });
        RecordingTotals totals = recording.Complete();
        Assert.Equal(40_000, totals.Unique);
        Assert.Equal(400, totals.Duplicates);
        Assert.Equal(4, totals.OutOfRange);
        Assert.Equal(40_404, totals.Received);
        Assert.Equal(40_404, totals.Histogram.TotalCount);
    }

    [Fact]
    public void AStampThatIsNotItsDueTime_IsCountedAsCorrupt()
    {
        var recording = new LatencyRecording(100);
        long start = MonotonicClock.NowNanoseconds();
        recording.ExpectedSchedule = new OpenLoopSchedule(start, 1_000);
        recording.Window = new MeasurementWindow(start, start + 60_000_000_000);
        LatencyRecorder recorder = recording.CreateRecorder();

        recorder.Record(sequence: 3, intendedSendNanoseconds: start + 3_000_000, payloadBytes: 10);     // its due time
        recorder.Record(sequence: 4, intendedSendNanoseconds: start + 4_000_000 + 1, payloadBytes: 10); // one nanosecond off

        Assert.Equal(1, recording.Complete().ContentErrors);
    }
}
