using Google.FlatBuffers;
using ShmIpc.Codecs.FlatBuffers.Generated;

namespace ShmIpc.Codecs.FlatBuffers;

/// <summary>
/// The official way to write a snapshot: <c>FlatBufferBuilder</c> and the flatc-generated
/// <c>CreateInstrument</c>, building back to front in a reused <c>byte[]</c>, then one copy out
/// (the 25.2.10 runtime cannot target a span). Kept to prove our reader reads official buffers and to
/// measure against <see cref="FlatBuffersSnapshotCodec"/>'s direct writer. Allocation-free after the
/// first call for a given size; not thread-safe.
/// </summary>
public sealed class FlatBuffersOfficialSnapshotEncoder
{
    private readonly FlatBufferBuilder _builder = new(16 * 1024);

    // Reused argument arrays for the generated CreateInstrument (it takes one array per level field).
    private readonly int[] _bidPrices = new int[OrderBookLevels.Count];
    private readonly int[] _bidQuantities = new int[OrderBookLevels.Count];
    private readonly int[] _askPrices = new int[OrderBookLevels.Count];
    private readonly int[] _askQuantities = new int[OrderBookLevels.Count];

    /// <summary>Builds the snapshot; the result is valid until the next call.</summary>
    public ArraySegment<byte> Build(MarketSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _builder.Clear();
        ReadOnlySpan<InstrumentSnapshot> instruments = snapshot.Instruments;
        Snapshot.StartInstrumentsVector(_builder, instruments.Length);
        for (int index = instruments.Length - 1; index >= 0; index--)
        {
            ref readonly InstrumentSnapshot instrument = ref instruments[index];
            for (int level = 0; level < OrderBookLevels.Count; level++)
            {
                _bidPrices[level] = instrument.Bids[level].Price;
                _bidQuantities[level] = instrument.Bids[level].Quantity;
                _askPrices[level] = instrument.Asks[level].Price;
                _askQuantities[level] = instrument.Asks[level].Quantity;
            }

            Instrument.CreateInstrument(
                _builder, instrument.InstrumentId, instrument.LastPrice, instrument.Volume, instrument.Turnover,
                instrument.ExchangeTimestampNs, _bidPrices, _bidQuantities, _askPrices, _askQuantities);
        }

        VectorOffset vector = _builder.EndVector();
        Offset<Snapshot> root = Snapshot.CreateSnapshot(_builder, snapshot.Sequence, snapshot.SendTimestampNs, vector);
        Snapshot.FinishSnapshotBuffer(_builder, root);
        ByteBuffer buffer = _builder.DataBuffer;
        return buffer.ToArraySegment(buffer.Position, buffer.Length - buffer.Position);
    }

    /// <summary>Builds and copies into <paramref name="destination"/>; returns the length.</summary>
    public int Encode(MarketSnapshot snapshot, Span<byte> destination)
    {
        ArraySegment<byte> built = Build(snapshot);
        if (destination.Length < built.Count)
        {
            throw new ArgumentException($"fb: destination of {destination.Length} bytes is smaller than the {built.Count}-byte encoding", nameof(destination));
        }

        built.AsSpan().CopyTo(destination);
        return built.Count;
    }
}
