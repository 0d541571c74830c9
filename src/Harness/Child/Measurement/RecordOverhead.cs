using HdrHistogram;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Child.Measurement;

/// <summary>
/// The harness's own cost per message, measured in each child before its run and reported next
/// to the latencies it is part of: on the receiver, the whole <see cref="LatencyRecorder.Record"/>
/// (clock read, exactly-once bitmap, window checks, histogram); on the sender, the stamping
/// (clock read and the schedule-lateness record).
/// </summary>
internal static class RecordOverhead
{
    private const int Iterations = 200_000;

    public static double MeasureReceiverNanoseconds()
    {
        var recording = new LatencyRecording(Iterations);
        long now = MonotonicClock.NowNanoseconds();
        recording.Window = new MeasurementWindow(now - 1_000_000_000, now + 3_600_000_000_000);
        LatencyRecorder recorder = recording.CreateRecorder();
        return MeasureTwice(() =>
        {
            long begin = MonotonicClock.NowNanoseconds();
            for (int i = 0; i < Iterations; i++)
            {
                recorder.Record(i, begin - (i & 0xFFFF), 16_384);
            }
            return MonotonicClock.NowNanoseconds() - begin;
        });
    }

    public static double MeasureSenderNanoseconds()
    {
        LongHistogram lateness = LatencyHistograms.Create();
        return MeasureTwice(() =>
        {
            long begin = MonotonicClock.NowNanoseconds();
            for (int i = 0; i < Iterations; i++)
            {
                long now = MonotonicClock.NowNanoseconds();
                lateness.RecordValue(Math.Clamp(now - begin, 1, LatencyHistograms.HighestTrackableNanoseconds));
            }
            return MonotonicClock.NowNanoseconds() - begin;
        });
    }

    /// <summary>The second of two timed passes: the first lets the JIT finish.</summary>
    private static double MeasureTwice(Func<long> timedLoop)
    {
        timedLoop();
        return (double)timedLoop() / Iterations;
    }
}
