using System.Buffers;
using Google.FlatBuffers;
using ShmIpc.Codecs.FlatBuffers.Generated;

namespace ShmIpc.Codecs.FlatBuffers;

/// <summary>
/// FlatBuffers the official way, for comparison with <see cref="FlatBuffersSnapshotCodec"/> (not in
/// <see cref="SnapshotCodecs"/>): encode with <see cref="FlatBuffersOfficialSnapshotEncoder"/>
/// (builder, then one copy out); read with the flatc-generated accessors, which need a <c>byte[]</c>,
/// so a span is first copied into a reused array — the cost of the official runtime over mapped
/// memory. Reads run the official verifier first. One instance per thread.
/// </summary>
public sealed class FlatBuffersOfficialSnapshotCodec : ISnapshotCodec
{
    /// <summary>The registry name of this codec (<see cref="SnapshotCodecs.Get"/>).</summary>
    public const string CodecName = "fb-official";

    private readonly FlatBuffersOfficialSnapshotEncoder _encoder = new();
    // The official ByteBuffer (and its verifier) takes the whole array as the buffer, so the copy must
    // be exactly the message's length: reused while the length repeats (the usual case), else replaced.
    private byte[] _readCopy = [];
    private ByteBuffer _readBuffer = new([]);

    /// <inheritdoc />
    public string Name => CodecName;

    // The builder may pad for alignment; our fixed shape plus slack bounds it.
    /// <inheritdoc />
    public int GetMaxEncodedLength(int instrumentCount) => FlatBuffersSnapshotLayout.GetEncodedLength(instrumentCount) + 64;

    /// <inheritdoc />
    public int Encode(MarketSnapshot snapshot, Span<byte> destination) => _encoder.Encode(snapshot, destination);

    /// <inheritdoc />
    public void Encode(MarketSnapshot snapshot, IBufferWriter<byte> writer) => BufferWriterEncoding.Encode(this, snapshot, writer);

    /// <inheritdoc />
    public SnapshotDigest ReadEveryField(ReadOnlySpan<byte> encoded) => ReadEveryField(Verify(CopyIn(encoded)));

    /// <inheritdoc />
    public SnapshotDigest ReadEveryField(in ReadOnlySequence<byte> encoded)
    {
        SnapshotFormatGuards.ThrowIfLongerThanAnySnapshot(CodecName, encoded.Length, FlatBuffersSnapshotLayout.LongestAcceptedLength);
        ByteBuffer buffer = BufferOfLength((int)encoded.Length);
        encoded.CopyTo(_readCopy);
        return ReadEveryField(Verify(buffer));
    }

    /// <inheritdoc />
    public void Decode(ReadOnlySpan<byte> encoded, MarketSnapshot destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        Snapshot root = Verify(CopyIn(encoded));
        destination.Resize(root.InstrumentsLength);
        destination.Sequence = root.Sequence;
        destination.SendTimestampNs = root.SendTimestampNs;
        Span<InstrumentSnapshot> instruments = destination.Instruments;
        for (int index = 0; index < instruments.Length; index++)
        {
            Instrument from = root.Instruments(index)!.Value;
            ref InstrumentSnapshot to = ref instruments[index];
            to.InstrumentId = from.InstrumentId;
            to.LastPrice = from.LastPrice;
            to.Volume = from.Volume;
            to.Turnover = from.Turnover;
            to.ExchangeTimestampNs = from.ExchangeTimestampNs;
            for (int level = 0; level < OrderBookLevels.Count; level++)
            {
                to.Bids[level] = new PriceLevel(from.Bids(level).Price, from.Bids(level).Quantity);
                to.Asks[level] = new PriceLevel(from.Asks(level).Price, from.Asks(level).Quantity);
            }
        }
    }

    private static SnapshotDigest ReadEveryField(Snapshot root)
    {
        var checksum = new SnapshotChecksum();
        int count = root.InstrumentsLength;
        checksum.AddHeader(root.Sequence, root.SendTimestampNs, count);
        for (int index = 0; index < count; index++)
        {
            Instrument instrument = root.Instruments(index)!.Value;
            checksum.Add(instrument.InstrumentId);
            checksum.Add(instrument.LastPrice);
            checksum.Add(instrument.Volume);
            checksum.Add(instrument.Turnover);
            checksum.Add(instrument.ExchangeTimestampNs);
            for (int level = 0; level < OrderBookLevels.Count; level++)
            {
                checksum.Add(instrument.Bids(level).Price);
                checksum.Add(instrument.Bids(level).Quantity);
            }

            for (int level = 0; level < OrderBookLevels.Count; level++)
            {
                checksum.Add(instrument.Asks(level).Price);
                checksum.Add(instrument.Asks(level).Quantity);
            }
        }

        return new SnapshotDigest(root.Sequence, root.SendTimestampNs, count, checksum.Value);
    }

    private static Snapshot Verify(ByteBuffer buffer)
    {
        if (!Snapshot.VerifySnapshot(buffer))
        {
            SnapshotFormatException.Throw(CodecName, "the official verifier rejected the buffer");
        }

        return Snapshot.GetRootAsSnapshot(buffer);
    }

    private ByteBuffer CopyIn(ReadOnlySpan<byte> encoded)
    {
        ByteBuffer buffer = BufferOfLength(encoded.Length);
        encoded.CopyTo(_readCopy);
        return buffer;
    }

    private ByteBuffer BufferOfLength(int length)
    {
        if (_readCopy.Length != length)
        {
            _readCopy = new byte[length];
            _readBuffer = new ByteBuffer(_readCopy);
        }

        _readBuffer.Reset();
        return _readBuffer;
    }
}
