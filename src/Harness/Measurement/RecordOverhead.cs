using HdrHistogram;

namespace ShmIpc.Harness.Measurement;

/// <summary>
/// The harness's own cost per received message: one clock read plus one histogram record,
/// measured before the run so it can be reported next to the latencies it is part of.
/// </summary>
internal static class RecordOverhead
{
    public static double MeasureNanoseconds()
    {
        const int Iterations = 200_000;
        var histogram = new LongConcurrentHistogram(1, LatencyRecorder.HighestTrackableNanoseconds, LatencyRecorder.SignificantDigits);
        long sink = 0;
        for (int round = 0; round < 2; round++)
        {
            long begin = MonotonicClock.NowNanoseconds();
            for (int i = 0; i < Iterations; i++)
            {
                long now = MonotonicClock.NowNanoseconds();
                histogram.RecordValue((now & 0xFFFF) + 1);
                sink += now;
            }
            long elapsed = MonotonicClock.NowNanoseconds() - begin;
            if (round == 1)
            {
                GC.KeepAlive(sink);
                return (double)elapsed / Iterations;
            }
        }
        return double.NaN;
    }
}
