using System.Runtime.CompilerServices;

namespace ShmIpc.Codecs.Tests;

public sealed class InstrumentSnapshotLayoutTests
{
    [Fact]
    public void Struct_MatchesTheDocumentedLayout()
    {
        Assert.Equal(112, InstrumentSnapshotLayout.Size);
        Assert.Equal(InstrumentSnapshotLayout.Size, Unsafe.SizeOf<InstrumentSnapshot>());
        Assert.Equal(PriceLevel.Size, Unsafe.SizeOf<PriceLevel>());
        Assert.Equal(OrderBookLevels.Size, Unsafe.SizeOf<OrderBookLevels>());

        var instrument = default(InstrumentSnapshot);
        ref byte start = ref Unsafe.As<InstrumentSnapshot, byte>(ref instrument);
        Assert.Equal(InstrumentSnapshotLayout.InstrumentIdOffset, OffsetOf(ref start, ref instrument.InstrumentId));
        Assert.Equal(InstrumentSnapshotLayout.LastPriceOffset, OffsetOf(ref start, ref instrument.LastPrice));
        Assert.Equal(InstrumentSnapshotLayout.VolumeOffset, OffsetOf(ref start, ref instrument.Volume));
        Assert.Equal(InstrumentSnapshotLayout.TurnoverOffset, OffsetOf(ref start, ref instrument.Turnover));
        Assert.Equal(InstrumentSnapshotLayout.ExchangeTimestampNsOffset, OffsetOf(ref start, ref instrument.ExchangeTimestampNs));
        Assert.Equal(InstrumentSnapshotLayout.BidsOffset, OffsetOf(ref start, ref instrument.Bids[0].Price));
        Assert.Equal(InstrumentSnapshotLayout.BidsOffset + 4, OffsetOf(ref start, ref instrument.Bids[0].Quantity));
        Assert.Equal(InstrumentSnapshotLayout.BidsOffset + (4 * PriceLevel.Size), OffsetOf(ref start, ref instrument.Bids[4].Price));
        Assert.Equal(InstrumentSnapshotLayout.AsksOffset, OffsetOf(ref start, ref instrument.Asks[0].Price));
        Assert.Equal(InstrumentSnapshotLayout.AsksOffset + (4 * PriceLevel.Size) + 4, OffsetOf(ref start, ref instrument.Asks[4].Quantity));
    }

    [Fact]
    public void Equals_ComparesEveryValue()
    {
        MarketSnapshot snapshot = new SnapshotGenerator(1).Generate(2);
        InstrumentSnapshot copy = snapshot.Instruments[0];
        Assert.Equal(snapshot.Instruments[0], copy);
        copy.Asks[4].Quantity++;
        Assert.NotEqual(snapshot.Instruments[0], copy);
    }

    private static int OffsetOf<T>(ref byte start, ref T field) => (int)Unsafe.ByteOffset(ref start, ref Unsafe.As<T, byte>(ref field));
}
