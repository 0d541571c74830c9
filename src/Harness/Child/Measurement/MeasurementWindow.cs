using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Child.Measurement;

/// <summary>
/// The part of a run that counts: from the end of the warm-up to the end of the measurement, in
/// CLOCK_MONOTONIC nanoseconds. Both processes derive it from the same start time, which the
/// parent hands them. Immutable, so a reference to it can be published to other threads whole.
/// </summary>
internal sealed record MeasurementWindow(long StartNanoseconds, long EndNanoseconds)
{
    public static MeasurementWindow After(long runStartNanoseconds, TimeSpan warmup, TimeSpan duration)
    {
        long start = runStartNanoseconds + MonotonicClock.ToNanoseconds(warmup);
        return new MeasurementWindow(start, start + MonotonicClock.ToNanoseconds(duration));
    }

    public long LengthNanoseconds => EndNanoseconds - StartNanoseconds;

    public bool Contains(long nanoseconds) => nanoseconds >= StartNanoseconds && nanoseconds < EndNanoseconds;

    /// <summary>How much of the window had passed at <paramref name="nanoseconds"/>: the whole of it once it is over.</summary>
    public long ElapsedAt(long nanoseconds) => Math.Clamp(nanoseconds - StartNanoseconds, 0, LengthNanoseconds);
}
