using ShmIpc.Harness.Child.Measurement;
using ShmIpc.Harness.Cli;
using ShmIpc.Harness.Protocol;

namespace ShmIpc.Harness.Tests.Cli;

public sealed class OptionValuesTests
{
    [Theory]
    [InlineData("16k", 16384)]
    [InlineData("1K", 1024)]
    [InlineData("64kb", 65536)]
    [InlineData("1m", 1048576)]
    [InlineData("4096", 4096)]
    public void TryParseSize_AcceptsBytesAndSuffixes(string text, int expected)
    {
        Assert.True(OptionValues.TryParseSize(text, out int bytes, out _));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1k")]
    [InlineData("12")]
    [InlineData("1g")]
    [InlineData("")]
    public void TryParseSize_RejectsWithAMessageNamingTheForms(string text)
    {
        Assert.False(OptionValues.TryParseSize(text, out _, out string error));
        Assert.Contains($"'{text}'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("50000", 50000.0)]
    [InlineData("50k", 50000.0)]
    [InlineData("1.5m", 1500000.0)]
    public void TryParseRate_AcceptsNumbers(string text, double expected)
    {
        Assert.True(OptionValues.TryParseRate(text, out double? rate, out _));
        Assert.Equal(expected, rate);
    }

    [Fact]
    public void TryParseRate_MaxMeansFlatOut()
    {
        Assert.True(OptionValues.TryParseRate("max", out double? rate, out _));
        Assert.Null(rate);
    }

    [Theory]
    [InlineData("fast")]
    [InlineData("0")]
    [InlineData("-5")]
    public void TryParseRate_RejectsNonsense(string text)
    {
        Assert.False(OptionValues.TryParseRate(text, out _, out string error));
        Assert.Contains("max", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10s", 10_000)]
    [InlineData("500ms", 500)]
    [InlineData("2m", 120_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("3", 3_000)]
    public void TryParseDuration_AcceptsUnits(string text, int expectedMilliseconds)
    {
        Assert.True(OptionValues.TryParseDuration(text, out TimeSpan duration, out _));
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), duration);
    }

    [Fact]
    public void TryParseList_RejectsUnknownItemsByName()
    {
        Assert.False(OptionValues.TryParseList("shm,carrier-pigeon", EnumNames.All<TransportKind>(), out _, out string error));
        Assert.Contains("carrier-pigeon", error, StringComparison.Ordinal);
        Assert.Contains("msgpack", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParseList_KeepsOrderAndDropsRepeats()
    {
        Assert.True(OptionValues.TryParseList("msgpack, SHM,msgpack", EnumNames.All<TransportKind>(), out IReadOnlyList<string> items, out _));
        Assert.Equal(["msgpack", "shm"], items);
    }

    [Fact]
    public void TryParsePin_ReadsPairsAndKeywords()
    {
        Assert.True(OptionValues.TryParsePin("none", out var none, out _));
        Assert.Null(none);
        // From the CPUs this process may use, not CPU 0 or a fixed count: both depend on the machine and its cgroup.
        IReadOnlyList<int> allowed = CpuAffinity.AllowedCpus();
        int first = allowed[0];
        int beyond = allowed.Max() + 1;
        Assert.True(OptionValues.TryParsePin($"{first},{first}", out var pair, out _));
        Assert.Equal((first, first), pair);
        Assert.False(OptionValues.TryParsePin($"{first},{beyond}", out _, out string error));
        Assert.Contains("may use", error, StringComparison.Ordinal);
        Assert.False(OptionValues.TryParsePin("zero", out _, out _));
    }
}
