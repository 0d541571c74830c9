namespace ShmIpc.ShmRing.Tests;

public sealed class SegmentNameTests
{
    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("../etc")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("a..b")]
    [InlineData("space name")]
    [InlineData("tab\tname")]
    [InlineData("é")]
    [InlineData("nul\0")]
    public void Create_RejectsInvalidNameBeforeTouchingTheFileSystem(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => RingConsumer.Create(name, new RingOptions()));

        Assert.Contains("ring name", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists("/dev/shm/shmring.a"));
    }

    [Fact]
    public void Create_RejectsNameLongerThan200Characters()
    {
        Assert.Throws<ArgumentException>(() => RingProducer.Create(new string('a', 201), new RingOptions()));
        Assert.Throws<ArgumentException>(() => RingProducer.Attach(new string('a', 201), new RingOptions()));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("Feed.1_A-b")]
    public void Validate_AcceptsNamesOfAllowedCharacters(string name)
    {
        SegmentName.Validate(name);
        Assert.Equal($"/dev/shm/shmring.{name}", SegmentName.ToPath(name));
        SegmentName.Validate(new string('x', 200));
    }
}
