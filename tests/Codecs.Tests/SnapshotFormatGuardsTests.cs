namespace ShmIpc.Codecs.Tests;

public sealed class SnapshotFormatGuardsTests
{
    [Fact]
    public void ABufferOfExactlyTheLongestValidLength_IsAccepted_OneByteMoreIsNot()
    {
        // The boundary itself: a guard that rejects the longest valid snapshot would refuse real input.
        SnapshotFormatGuards.ThrowIfLongerThanAnySnapshot("test", 1000, longestValidLength: 1000);
        SnapshotFormatException error = Assert.Throws<SnapshotFormatException>(() => SnapshotFormatGuards.ThrowIfLongerThanAnySnapshot("test", 1001, longestValidLength: 1000));
        Assert.Contains("buffer of 1001 bytes exceeds the largest valid snapshot (1000 bytes)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(MarketSnapshot.MaxInstrumentCount, true)]
    [InlineData(MarketSnapshot.MaxInstrumentCount + 1L, false)]
    [InlineData(-1, false)]
    public void InstrumentCounts_AreValidFromZeroToTheMaximum(long count, bool valid) =>
        Assert.Equal(valid, SnapshotFormatGuards.IsValidInstrumentCount(count));
}
