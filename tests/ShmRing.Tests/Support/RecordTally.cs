namespace ShmIpc.ShmRing.Tests.Support;

/// <summary>A suite's counts: faults injected, records checked, and every way a record can go wrong.</summary>
internal sealed class RecordTally
{
    public long Faults { get; set; }

    public long Records { get; set; }

    public long Lost { get; set; }

    public long Duplicated { get; set; }

    public long Torn { get; set; }

    public long Hangs { get; set; }

    public long WrongSkips { get; set; }

    /// <summary>Counts what did not arrive of what had to (a record that arrived without being due counts as duplicated).</summary>
    public void Count(long expected, long received)
    {
        Lost += Math.Max(0, expected - received);
        Duplicated += Math.Max(0, received - expected);
    }

    public void ExpectSkips(long expected, long observed) => WrongSkips += Math.Abs(expected - observed);

    public void AssertClean(int faults)
    {
        Assert.Equal(0, Lost);
        Assert.Equal(0, Duplicated);
        Assert.Equal(0, Torn);
        Assert.Equal(0, Hangs);
        Assert.Equal(0, WrongSkips);
        Assert.Equal(faults, Faults);
    }

    public override string ToString()
        => $"faults {Faults}, records checked {Records}, lost {Lost}, duplicated {Duplicated}, torn {Torn}, hangs {Hangs}, wrong skip counts {WrongSkips}";
}
