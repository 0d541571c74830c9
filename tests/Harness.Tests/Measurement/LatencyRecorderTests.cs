using ShmIpc.Harness.Measurement;

namespace ShmIpc.Harness.Tests.Measurement;

public sealed class LatencyRecorderTests
{
    [Fact]
    public void Record_KeepsLatenciesOfTheWindowOnly_AndMeasuresFromTheIntendedSendTime()
    {
        var recorder = new LatencyRecorder(1_000);
        long now = MonotonicClock.NowNanoseconds();
        recorder.Window = new MeasurementWindow(now - 1_000_000_000, now + 60_000_000_000);

        recorder.Record(sequence: 1, intendedSendNanoseconds: now - 2_000_000_000, payloadBytes: 100); // warm-up: counted, not recorded
        recorder.Record(sequence: 2, intendedSendNanoseconds: now - 500_000_000, payloadBytes: 100);   // 0.5 s late

        Assert.Equal(2, recorder.Received);
        Assert.Equal(1, recorder.Histogram.TotalCount);
        Assert.InRange(recorder.Histogram.GetValueAtPercentile(100), 500_000_000, 600_000_000);
        Assert.Equal(2, recorder.ReceivedInWindow);
        Assert.Equal(200, recorder.BytesInWindow);
    }

    [Fact]
    public void NothingIsMeasured_BeforeTheRunStarts()
    {
        var recorder = new LatencyRecorder(10);
        recorder.Record(0, MonotonicClock.NowNanoseconds(), 10);
        Assert.Equal(1, recorder.Received);
        Assert.Equal(0, recorder.Histogram.TotalCount);
        Assert.Equal(0, recorder.ReceivedInWindow);
    }

    [Fact]
    public void StartWindowAtFirstMessage_OpensTheWindowAfterTheWarmup()
    {
        var recorder = new LatencyRecorder(10);
        recorder.StartWindowAtFirstMessage(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        long first = MonotonicClock.NowNanoseconds();
        recorder.Record(0, first, 10);
        Assert.Equal(first + 1_000_000_000, recorder.Window.StartNanoseconds);
        Assert.Equal(first + 3_000_000_000, recorder.Window.EndNanoseconds);
    }
}
