using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static ShmIpc.Codecs.Protobuf.ProtobufWireFormat;

namespace ShmIpc.Codecs.Protobuf;

/// <summary>
/// Protobuf (<c>snapshot.proto</c>) in place, with no message object: Encode checks the destination once (against the
/// bound, or the exact length when it is smaller) and writes the wire format straight into it, each instrument with
/// <see cref="ProtobufInstrumentFastWriter"/> (its length computed once) and the last few, where that writer's window
/// does not fit, value by value; byte for byte what Google.Protobuf's generated classes write (fields in number order,
/// zero scalars omitted, level fields packed). Reading is
/// <see cref="ProtobufSnapshotReader"/>'s, from a span or a split sequence, allocation-free. Stateless; one instance
/// per thread like every codec. <see cref="ProtobufClassesSnapshotCodec"/> is the generated-class path.
/// </summary>
public sealed class ProtobufSnapshotCodec : ISnapshotCodec
{
    /// <summary>The registry name of this codec (<see cref="SnapshotCodecs.Get"/>).</summary>
    public const string CodecName = "protobuf";

    // Worst case per value: int32/int64 varints take 10 bytes when negative; sfixed64 8; tag 1.
    private const int MaxHeaderLength = (1 + MaxVarintLength) + (1 + 8);
    private const int MaxPackedLevelsLength = 1 + 1 + (OrderBookLevels.Count * MaxVarintLength);
    internal const int MaxScalarsLength = (4 * (1 + MaxVarintLength)) + (1 + 8); // four varint scalars, the fixed64 one
    private const int MaxInstrumentBodyLength = MaxScalarsLength + (4 * MaxPackedLevelsLength);
    internal const int MaxInstrumentLength = 1 + 2 + MaxInstrumentBodyLength; // tag, length varint (< 16,384), body

    /// <inheritdoc />
    public string Name => CodecName;

    /// <inheritdoc />
    public int GetMaxEncodedLength(int instrumentCount)
    {
        MarketSnapshot.ValidateCount(instrumentCount);
        return MaxHeaderLength + (instrumentCount * MaxInstrumentLength);
    }

    /// <inheritdoc />
    public int Encode(MarketSnapshot snapshot, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        // Room for the bound needs no exact length first: then each instrument's length is computed once, as it is written.
        if (destination.Length < GetMaxEncodedLength(snapshot.InstrumentCount))
        {
            int length = GetEncodedLength(snapshot);
            if (destination.Length < length)
            {
                throw new ArgumentException($"protobuf: destination of {destination.Length} bytes is smaller than the {length}-byte encoding", nameof(destination));
            }
        }

        return Write(snapshot, destination);
    }

    /// <summary>
    /// Encodes into a destination of exactly <see cref="GetEncodedLength"/> bytes (a gRPC message, whose length prefix
    /// is written before the payload) without measuring the snapshot again; returns the bytes written. A shorter
    /// destination throws; a longer one is not filled.
    /// </summary>
    public static int EncodeKnownLength(MarketSnapshot snapshot, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return Write(snapshot, destination);
    }

    /// <summary>Writes into a destination known to hold the encoding; returns its length.</summary>
    private static int Write(MarketSnapshot snapshot, Span<byte> destination)
    {
        var writer = new ProtobufSpanWriter(destination);
        if (snapshot.Sequence != 0)
        {
            writer.WriteByte(SequenceTag);
            writer.WriteVarint((ulong)snapshot.Sequence);
        }

        if (snapshot.SendTimestampNs != 0)
        {
            writer.WriteByte(SendTimestampTag);
            writer.WriteFixed64(snapshot.SendTimestampNs);
        }

        int position = writer.Position;
        foreach (ref readonly InstrumentSnapshot instrument in snapshot.Instruments)
        {
            int written = ProtobufInstrumentFastWriter.TryWrite(destination[position..], in instrument);
            position += written != 0 ? written : WriteInstrument(destination[position..], in instrument);
        }

        return position;
    }

    /// <inheritdoc />
    public void Encode(MarketSnapshot snapshot, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(writer);
        // The exact length, not the bound: a gRPC writer sizes its frame by what is asked. Computed once: the span
        // it gets holds it, so the write checks nothing again.
        int length = GetEncodedLength(snapshot);
        writer.Advance(Write(snapshot, writer.GetSpan(length)));
    }

    /// <inheritdoc />
    public SnapshotDigest ReadEveryField(ReadOnlySpan<byte> encoded) => ProtobufSnapshotReader.ReadEveryField(encoded);

    /// <summary>Single segment: as a span. Several: each instrument in place in its segment; one that straddles two is gathered (never the message).</summary>
    public SnapshotDigest ReadEveryField(in ReadOnlySequence<byte> encoded) => ProtobufSnapshotReader.ReadEveryField(encoded);

    /// <inheritdoc />
    public void Decode(ReadOnlySpan<byte> encoded, MarketSnapshot destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ProtobufSnapshotReader.Decode(encoded, destination);
    }

    /// <summary>The exact encoded length of <paramref name="snapshot"/>.</summary>
    public static int GetEncodedLength(MarketSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        int length = (snapshot.Sequence != 0 ? 1 + VarintLength((ulong)snapshot.Sequence) : 0) + (snapshot.SendTimestampNs != 0 ? 1 + sizeof(long) : 0);
        foreach (ref readonly InstrumentSnapshot instrument in snapshot.Instruments)
        {
            int body = GetBodyLength(in instrument);
            length += 1 + VarintLength((ulong)body) + body;
        }

        return length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int GetBodyLength(in InstrumentSnapshot instrument)
    {
        if (Avx512CD.IsSupported && Avx512CD.VL.IsSupported && OrderBookLevels.Count == 5)
        {
            return GetBodyLengthByVectors(in instrument);
        }

        return GetBodyLengthByValue(in instrument);
    }

    /// <summary>
    /// An instrument's body length from its values' leading zeros, with no branch and one horizontal sum: the four
    /// varint scalars (each its tag and bytes, or nothing if zero) in one 256-bit vector, the twenty book values in two
    /// 512-bit ones (<see cref="ProtobufVarintBits.Int32Bytes"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int GetBodyLengthByVectors(in InstrumentSnapshot instrument)
    {
        // A varint's bytes from its 64-bit leading zeros: (70 - lz) / 7, as (70 - lz) * 37 >> 8 (exact for 6..70; a
        // zero's 6 gives 0 bytes), then its tag if it has any (int32s sign-extended: a negative one takes 10).
        Vector256<ulong> scalars = Vector256.Create((ulong)(long)instrument.InstrumentId, (ulong)(long)instrument.LastPrice, (ulong)instrument.Volume, (ulong)instrument.Turnover);
        Vector256<ulong> sevenths = Vector256.Create(70UL) - Avx512CD.VL.LeadingZeroCount(scalars);
        Vector256<ulong> varintBytes = Vector256.ShiftRightLogical(Avx2.Multiply(sevenths.AsUInt32(), Vector256.Create(37UL).AsUInt32()), 8);
        Vector256<ulong> fields = varintBytes + Vector256.Min(varintBytes, Vector256<ulong>.One);

        // The book's four packed fields: a tag and a one-byte length each (five values take at most 50 bytes), then the
        // values. Ints 0-15, then 4-19 with the four not already counted.
        Vector512<uint> book = ProtobufVarintBits.Int32Bytes(OrderBookVectors.LoadFirst16(in instrument).AsUInt32())
            + (ProtobufVarintBits.Int32Bytes(OrderBookVectors.LoadLast16(in instrument).AsUInt32()) & Vector512.Create(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ~0u, ~0u, ~0u, ~0u));
        const int PackedHeaders = 4 * 2;
        return (int)Vector512.Sum(book + fields.AsUInt32().ToVector512()) + PackedHeaders
            + (instrument.ExchangeTimestampNs != 0 ? 1 + sizeof(long) : 0);
    }

    private static int GetBodyLengthByValue(in InstrumentSnapshot instrument) =>
        ScalarLength(instrument.InstrumentId) + ScalarLength(instrument.LastPrice)
        + (instrument.Volume != 0 ? 1 + VarintLength((ulong)instrument.Volume) : 0)
        + (instrument.Turnover != 0 ? 1 + VarintLength((ulong)instrument.Turnover) : 0)
        + (instrument.ExchangeTimestampNs != 0 ? 1 + sizeof(long) : 0)
        + PackedFieldsLength(in instrument);

    private static int ScalarLength(int value) => value != 0 ? 1 + Int32Length(value) : 0;

    /// <summary>
    /// The four packed level fields: each a tag and a one-byte length (five values take at most 50 bytes), then the
    /// values. The book's 20 integers lie in one run (bids then asks, price and quantity per level), so their lengths
    /// are summed in one pass, whatever field each belongs to: with vector compares where the host has them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PackedFieldsLength(in InstrumentSnapshot instrument)
    {
        const int PackedFields = 4;
        const int BookInts = 2 * OrderBookLevels.Size / sizeof(int);
        ReadOnlySpan<int> book = MemoryMarshal.Cast<InstrumentSnapshot, int>(new ReadOnlySpan<InstrumentSnapshot>(in instrument))
            .Slice(InstrumentSnapshotLayout.BidsOffset / sizeof(int), BookInts);
        int length = PackedFields * 2;
        if (Vector256.IsHardwareAccelerated && BookInts == 20)
        {
            // Each lane's bytes past the first, negated: a compare that holds is all ones, -1. The last eight overlap
            // the middle eight by four, which the mask drops.
            Vector256<uint> extra = ExtraVarintBytesNegated(Vector256.Create(book[..8]).AsUInt32())
                + ExtraVarintBytesNegated(Vector256.Create(book.Slice(8, 8)).AsUInt32())
                + (ExtraVarintBytesNegated(Vector256.Create(book.Slice(12, 8)).AsUInt32()) & Vector256.Create(0, 0, 0, 0, ~0u, ~0u, ~0u, ~0u));
            return length + BookInts - (int)Vector256.Sum(extra);
        }

        foreach (int value in book)
        {
            length += Int32Length(value);
        }

        return length;
    }

    /// <summary>
    /// Minus the bytes past the first that each int32 lane's varint takes: one per 7 bits above the first 7, and a
    /// negative one (sign-extended to 64 bits: 10 bytes) five more than the 4 its top bit already gives.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> ExtraVarintBytesNegated(Vector256<uint> values)
    {
        Vector256<uint> negative = Vector256.GreaterThan(values, Vector256.Create((uint)int.MaxValue));
        return Vector256.GreaterThan(values, Vector256.Create(0x7Fu)) + Vector256.GreaterThan(values, Vector256.Create(0x3FFFu))
            + Vector256.GreaterThan(values, Vector256.Create(0x1F_FFFFu)) + Vector256.GreaterThan(values, Vector256.Create(0xFFF_FFFFu))
            + (negative << 2) + negative;
    }

    private static int PackedDataLength(in OrderBookLevels levels, bool prices)
    {
        int length = 0;
        for (int level = 0; level < OrderBookLevels.Count; level++)
        {
            length += Int32Length(prices ? levels[level].Price : levels[level].Quantity);
        }

        return length;
    }

    /// <summary>The last instruments, where the fast writer's window does not fit: value by value, bounds-checked.</summary>
    private static int WriteInstrument(Span<byte> destination, in InstrumentSnapshot instrument)
    {
        var writer = new ProtobufSpanWriter(destination);
        writer.WriteByte(InstrumentTag);
        writer.WriteVarint((ulong)GetBodyLength(in instrument));
        WriteBody(ref writer, in instrument);
        return writer.Position;
    }

    private static void WriteBody(ref ProtobufSpanWriter writer, in InstrumentSnapshot instrument)
    {
        WriteScalar(ref writer, InstrumentIdTag, instrument.InstrumentId);
        WriteScalar(ref writer, LastPriceTag, instrument.LastPrice);
        if (instrument.Volume != 0)
        {
            writer.WriteByte(VolumeTag);
            writer.WriteVarint((ulong)instrument.Volume);
        }

        if (instrument.Turnover != 0)
        {
            writer.WriteByte(TurnoverTag);
            writer.WriteVarint((ulong)instrument.Turnover);
        }

        if (instrument.ExchangeTimestampNs != 0)
        {
            writer.WriteByte(ExchangeTimestampTag);
            writer.WriteFixed64(instrument.ExchangeTimestampNs);
        }

        WritePacked(ref writer, BidPricesField, in instrument.Bids, prices: true);
        WritePacked(ref writer, BidQuantitiesField, in instrument.Bids, prices: false);
        WritePacked(ref writer, AskPricesField, in instrument.Asks, prices: true);
        WritePacked(ref writer, AskQuantitiesField, in instrument.Asks, prices: false);
    }

    private static void WriteScalar(ref ProtobufSpanWriter writer, byte tag, int value)
    {
        if (value != 0)
        {
            writer.WriteByte(tag);
            writer.WriteInt32(value);
        }
    }

    private static void WritePacked(ref ProtobufSpanWriter writer, int field, in OrderBookLevels levels, bool prices)
    {
        writer.WriteByte(PackedTag(field));
        writer.WriteVarint((ulong)PackedDataLength(in levels, prices));
        for (int level = 0; level < OrderBookLevels.Count; level++)
        {
            writer.WriteInt32(prices ? levels[level].Price : levels[level].Quantity);
        }
    }
}
