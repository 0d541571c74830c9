using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static ShmIpc.Codecs.Protobuf.ProtobufWireFormat;

namespace ShmIpc.Codecs.Protobuf;

/// <summary>
/// Writes one instrument field (tag, body length, body) with no per-value bounds check, into a window of at least
/// <see cref="RequiredBytes"/>: the longest instrument plus the 8 bytes one wide store may write past a value. The
/// bytes are exactly <see cref="ProtobufSpanWriter"/>'s and Google.Protobuf's (tests compare them). The body's length
/// is computed once, from each value's bit length; a varint of up to 8 bytes is spread into 7-bit groups and stored
/// with one 8-byte write, its continuation bits OR-ed in (the spare bytes land past it and are overwritten next);
/// longer ones (a negative int32, a value from 2^56) go byte by byte, out of line.
/// Unsafe: writes through <see cref="Unsafe.Add{T}(ref T, nint)"/>; the RequiredBytes check is the only bounds check.
/// </summary>
internal ref struct ProtobufInstrumentFastWriter
{
    public const int RequiredBytes = ProtobufSnapshotCodec.MaxInstrumentLength + sizeof(ulong);

    private const ulong ContinuationBits = 0x8080808080808080UL;

    // A cursor like the MessagePack fast writer's: its fields are promoted to registers once inlined.
    private readonly ref byte _start;
    private nint _offset;

    private ProtobufInstrumentFastWriter(ref byte start)
    {
        _start = ref start;
        _offset = 0;
    }

    /// <summary>Writes the instrument field at the start of <paramref name="window"/>; returns its length, 0 if the window is too short.</summary>
    public static int TryWrite(Span<byte> window, in InstrumentSnapshot instrument)
    {
        if (window.Length < RequiredBytes)
        {
            return 0;
        }

        var writer = new ProtobufInstrumentFastWriter(ref MemoryMarshal.GetReference(window));
        writer.WriteByte(InstrumentTag);
        writer.WriteVarint((ulong)BodyLength(in instrument));
        writer.WriteScalar(InstrumentIdTag, (ulong)(long)instrument.InstrumentId);
        writer.WriteScalar(LastPriceTag, (ulong)(long)instrument.LastPrice);
        writer.WriteScalar(VolumeTag, (ulong)instrument.Volume);
        writer.WriteScalar(TurnoverTag, (ulong)instrument.Turnover);
        if (instrument.ExchangeTimestampNs != 0)
        {
            writer.WriteByte(ExchangeTimestampTag);
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref writer._start, writer._offset), instrument.ExchangeTimestampNs);
            writer._offset += sizeof(long);
        }

        writer.WritePacked(PackedTag(BidPricesField), in instrument.Bids[0].Price);
        writer.WritePacked(PackedTag(BidQuantitiesField), in instrument.Bids[0].Quantity);
        writer.WritePacked(PackedTag(AskPricesField), in instrument.Asks[0].Price);
        writer.WritePacked(PackedTag(AskQuantitiesField), in instrument.Asks[0].Quantity);
        return (int)writer._offset;
    }

    /// <summary>The body's length: zero scalars omitted, the four packed fields always there (five values each).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int BodyLength(in InstrumentSnapshot instrument) =>
        ScalarLength((ulong)(long)instrument.InstrumentId) + ScalarLength((ulong)(long)instrument.LastPrice)
        + ScalarLength((ulong)instrument.Volume) + ScalarLength((ulong)instrument.Turnover)
        + (instrument.ExchangeTimestampNs != 0 ? 1 + sizeof(long) : 0)
        + PackedLength(in instrument.Bids[0].Price) + PackedLength(in instrument.Bids[0].Quantity)
        + PackedLength(in instrument.Asks[0].Price) + PackedLength(in instrument.Asks[0].Quantity);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ScalarLength(ulong value) => value != 0 ? 1 + VarintLength(value) : 0;

    /// <summary>Tag, a one-byte data length (five int32s take at most 50 bytes), the data.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PackedLength(in int first) => 2 + PackedDataLength(in first);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PackedDataLength(in int first)
    {
        int length = 0;
        for (int level = 0; level < OrderBookLevels.Count; level++)
        {
            length += Int32Length(Level(in first, level));
        }

        return length;
    }

    /// <summary>Every other int from <paramref name="first"/>: a side's prices or its quantities.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Level(in int first, int level) =>
        Unsafe.Add(ref Unsafe.AsRef(in first), level * (PriceLevel.Size / sizeof(int)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WritePacked(byte tag, in int first)
    {
        WriteByte(tag);
        WriteByte((byte)PackedDataLength(in first));
        for (int level = 0; level < OrderBookLevels.Count; level++)
        {
            WriteVarint((ulong)(long)Level(in first, level));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteScalar(byte tag, ulong value)
    {
        if (value != 0)
        {
            WriteByte(tag);
            WriteVarint(value);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteByte(byte value)
    {
        Unsafe.Add(ref _start, _offset) = value;
        _offset++;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteVarint(ulong value)
    {
        int length = VarintLength(value);
        if (length > sizeof(ulong))
        {
            _offset += WriteLongVarint(ref Unsafe.Add(ref _start, _offset), value);
            return;
        }

        // Continuation bits on every byte but the last: the low (length - 1) bytes.
        ulong continuation = ContinuationBits & ((1UL << (8 * (length - 1))) - 1);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref _start, _offset), ProtobufVarintBits.Spread(value) | continuation);
        _offset += length;
    }

    /// <summary>9 or 10 bytes, byte by byte; static and given only a destination, so the cursor stays in registers.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int WriteLongVarint(ref byte destination, ulong value)
    {
        int written = 0;
        while (value >= 0x80)
        {
            Unsafe.Add(ref destination, written++) = (byte)(value | 0x80);
            value >>= 7;
        }

        Unsafe.Add(ref destination, written++) = (byte)value;
        return written;
    }
}
