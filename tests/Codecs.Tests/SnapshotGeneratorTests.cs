namespace ShmIpc.Codecs.Tests;

public sealed class SnapshotGeneratorTests
{
    [Fact]
    public void SameSeed_GivesSameSnapshots()
    {
        var first = new SnapshotGenerator(7);
        var second = new SnapshotGenerator(7);
        for (int i = 0; i < 5; i++)
        {
            Assert.True(first.Generate(128).ContentEquals(second.Generate(128)));
        }
    }

    [Fact]
    public void DifferentSeeds_GiveDifferentSnapshots()
    {
        Assert.False(new SnapshotGenerator(1).Generate(8).ContentEquals(new SnapshotGenerator(2).Generate(8)));
    }

    [Fact]
    public void Snapshots_AreRealistic()
    {
        var generator = new SnapshotGenerator();
        MarketSnapshot snapshot = generator.Generate(128);
        long previousSequence = snapshot.Sequence;
        for (int round = 0; round < 50; round++)
        {
            generator.Fill(snapshot);
            Assert.Equal(previousSequence + 1, snapshot.Sequence);
            previousSequence = snapshot.Sequence;
            for (int i = 0; i < snapshot.InstrumentCount; i++)
            {
                InstrumentSnapshot instrument = snapshot.Instruments[i];
                Assert.Equal(SnapshotGenerator.FirstInstrumentId + i, instrument.InstrumentId);
                Assert.True(instrument.LastPrice > 0);
                Assert.True(instrument.Volume >= 0 && instrument.Turnover >= 0);
                Assert.InRange(snapshot.SendTimestampNs - instrument.ExchangeTimestampNs, 5_000, 50_000);
                Assert.True(instrument.Bids[0].Price < instrument.Asks[0].Price, "book is crossed");
                for (int level = 1; level < OrderBookLevels.Count; level++)
                {
                    Assert.True(instrument.Bids[level].Price < instrument.Bids[level - 1].Price, "bids must fall");
                    Assert.True(instrument.Asks[level].Price > instrument.Asks[level - 1].Price, "asks must rise");
                    Assert.True(instrument.Bids[level].Quantity > 0 && instrument.Asks[level].Quantity > 0);
                }
            }
        }
    }

    [Fact]
    public void Fill_DoesNotAllocate()
    {
        var generator = new SnapshotGenerator();
        MarketSnapshot snapshot = generator.Generate(128);
        generator.Fill(snapshot);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            generator.Fill(snapshot);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Resize_KeepsExistingInstrumentsAndZeroesNewOnes()
    {
        MarketSnapshot snapshot = new SnapshotGenerator().Generate(8);
        InstrumentSnapshot first = snapshot.Instruments[0];
        snapshot.Resize(2);
        snapshot.Resize(4);
        Assert.Equal(first, snapshot.Instruments[0]);
        Assert.Equal(default, snapshot.Instruments[3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => snapshot.Resize(MarketSnapshot.MaxInstrumentCount + 1));
    }
}
