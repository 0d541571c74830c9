namespace ShmIpc.Harness.Measurement;

/// <summary>
/// The part of a run that counts: from the end of the warm-up to the end of the measurement, in
/// CLOCK_MONOTONIC nanoseconds. Both processes derive it from the same start time, which the
/// parent hands them.
/// </summary>
internal readonly record struct MeasurementWindow(long StartNanoseconds, long EndNanoseconds)
{
    /// <summary>A window that nothing falls into: used until the run is started.</summary>
    public static MeasurementWindow NotStarted { get; } = new(long.MaxValue, long.MaxValue);

    public static MeasurementWindow After(long runStartNanoseconds, TimeSpan warmup, TimeSpan duration)
    {
        long start = runStartNanoseconds + ToNanoseconds(warmup);
        return new MeasurementWindow(start, start + ToNanoseconds(duration));
    }

    public long LengthNanoseconds => EndNanoseconds - StartNanoseconds;

    public bool Contains(long nanoseconds) => nanoseconds >= StartNanoseconds && nanoseconds < EndNanoseconds;

    public static long ToNanoseconds(TimeSpan span) => span.Ticks * 100;
}
