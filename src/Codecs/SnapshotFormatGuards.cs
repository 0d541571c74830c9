namespace ShmIpc.Codecs;

/// <summary>
/// The checks every decoder makes before it trusts a count or a length, with their one wording. Each takes the
/// codec's name for the <see cref="SnapshotFormatException"/> it throws.
/// </summary>
internal static class SnapshotFormatGuards
{
    /// <summary>
    /// True for 0 to <see cref="MarketSnapshot.MaxInstrumentCount"/>: checked before any allocation or loop, so a
    /// corrupt count can neither allocate nor spin.
    /// </summary>
    public static bool IsValidInstrumentCount(long count) => (ulong)count <= MarketSnapshot.MaxInstrumentCount;

    /// <summary>What is wrong with a count <see cref="IsValidInstrumentCount"/> rejected.</summary>
    public static string InstrumentCountProblem(long count) => $"instrument count {count} is outside 0..{MarketSnapshot.MaxInstrumentCount}";

    public static void ThrowIfInvalidInstrumentCount(string codecName, long count)
    {
        if (!IsValidInstrumentCount(count))
        {
            SnapshotFormatException.Throw(codecName, InstrumentCountProblem(count));
        }
    }

    /// <summary>Rejects a buffer longer than any valid encoding before it is copied anywhere.</summary>
    public static void ThrowIfLongerThanAnySnapshot(string codecName, long length, int longestValidLength)
    {
        if (length > longestValidLength)
        {
            SnapshotFormatException.Throw(codecName, $"buffer of {length} bytes exceeds the largest valid snapshot ({longestValidLength} bytes)");
        }
    }
}
