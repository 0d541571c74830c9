using ShmIpc.Harness.Parent.Reporting;

namespace ShmIpc.Harness.Tests.Parent.Reporting;

public sealed class DurationTextTests
{
    [Theory]
    [InlineData(0, "0 ns")]
    [InlineData(7, "7 ns")]
    [InlineData(999, "999 ns")]
    [InlineData(1_000, "1.00 µs")]
    [InlineData(1_234, "1.23 µs")]
    [InlineData(1_235, "1.24 µs")]
    [InlineData(12_345, "12.3 µs")]
    [InlineData(123_456, "123 µs")]
    [InlineData(999_600, "1.00 ms")]
    [InlineData(3_735_028_000, "3.74 s")]
    [InlineData(60_000_000_000, "60.0 s")]
    [InlineData(-2_500, "-2.50 µs")]
    public void ADuration_HasItsOwnUnitAndThreeSignificantDigits(long nanoseconds, string expected)
    {
        Assert.Equal(expected, DurationText.Of(nanoseconds));
    }
}
