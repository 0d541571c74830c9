namespace ShmIpc.Codecs.Tests;

public sealed class SnapshotChecksumTests
{
    [Fact]
    public void EveryValueAndItsPosition_ChangeTheChecksum()
    {
        MarketSnapshot snapshot = new SnapshotGenerator().Generate(4);
        SnapshotDigest original = SnapshotDigest.Of(snapshot);

        // Change each of the 28 values of one instrument in turn.
        var seen = new HashSet<ulong> { original.Checksum };
        for (int value = 0; value < InstrumentSnapshotLayout.ValueCount; value++)
        {
            MarketSnapshot changed = snapshot.Clone();
            Span<int> words = System.Runtime.InteropServices.MemoryMarshal.Cast<InstrumentSnapshot, int>(changed.Instruments.Slice(2, 1));
            // Values are 4 or 8 bytes; flipping a low bit of each 4-byte word reaches every value.
            words[WordIndexOfValue(value)] ^= 1;
            Assert.True(seen.Add(SnapshotDigest.Of(changed).Checksum), $"value {value} did not change the checksum uniquely");
        }

        // Swapping two instruments changes it too (order-sensitive).
        MarketSnapshot swapped = snapshot.Clone();
        (swapped.Instruments[0], swapped.Instruments[1]) = (swapped.Instruments[1], swapped.Instruments[0]);
        Assert.NotEqual(original.Checksum, SnapshotDigest.Of(swapped).Checksum);
    }

    // Word index of value k in the record: id, last price (4 bytes), volume, turnover, timestamp (8), then 20 ints.
    private static int WordIndexOfValue(int value) => value switch
    {
        0 => 0,
        1 => 1,
        2 => 2,
        3 => 4,
        4 => 6,
        _ => 8 + (value - 5),
    };
}
