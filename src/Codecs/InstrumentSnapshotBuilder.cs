using System.Runtime.Intrinsics;

namespace ShmIpc.Codecs;

/// <summary>
/// Builds one <see cref="InstrumentSnapshot"/> from its values in the canonical order (<see cref="SnapshotChecksum"/>):
/// id, last price, volume, turnover, exchange timestamp, then bid (price, quantity) levels 0..4, then ask levels 0..4.
/// For decoding into the model, not a hot path. The reader has range-checked each 32-bit field before it arrives here.
/// </summary>
internal struct InstrumentSnapshotBuilder : ISnapshotValueSink
{
    private const int ScalarCount = 5;
    private const int ValuesPerSide = OrderBookLevels.Count * 2;

    private InstrumentSnapshot _instrument;
    private int _added;

    /// <summary>The instrument built from the values added so far.</summary>
    public readonly InstrumentSnapshot Instrument => _instrument;

    /// <summary>The book, after the five scalars.</summary>
    public void AddBook(Vector512<int> bids, Vector512<int> asks)
    {
        OrderBookVectors.Store(bids, asks, ref _instrument);
        _added += 2 * ValuesPerSide;
    }

    public void Add(long value)
    {
        int index = _added++;
        switch (index)
        {
            case 0:
                _instrument.InstrumentId = (int)value;
                break;
            case 1:
                _instrument.LastPrice = (int)value;
                break;
            case 2:
                _instrument.Volume = value;
                break;
            case 3:
                _instrument.Turnover = value;
                break;
            case 4:
                _instrument.ExchangeTimestampNs = value;
                break;
            default:
                int levelValue = index - ScalarCount;
                ref OrderBookLevels side = ref levelValue < ValuesPerSide ? ref _instrument.Bids : ref _instrument.Asks;
                ref PriceLevel level = ref side[levelValue % ValuesPerSide / 2];
                if (levelValue % 2 == 0)
                {
                    level.Price = (int)value;
                }
                else
                {
                    level.Quantity = (int)value;
                }

                break;
        }
    }
}
