using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ShmIpc.Codecs.MessagePack;

/// <summary>
/// Writes one instrument (<see cref="MessagePackSnapshotLayout"/>) with no per-value bounds check, into a window of at
/// least <see cref="RequiredBytes"/>: the longest instrument the writer emits plus the 8 bytes one wide store may
/// write past a value, or the book's 64-byte stores (<see cref="MessagePackBookVectorWriter"/>), whichever reaches
/// further. The bytes are exactly <see cref="MessagePackSpanWriter"/>'s (smallest encoding per value, as
/// <c>MessagePackWriter</c>); tests compare them.
/// <para>
/// An integer's width comes from a predicted branch on its range, then one big-endian 8-byte store writes it
/// whatever the width. The store's spare bytes land past the value and are overwritten by the next one; after the
/// instrument's last value they are scratch inside the window (at most <see cref="MaxScratch"/> bytes), so the caller
/// writes the snapshot's last two instruments with <see cref="MessagePackSpanWriter"/>.
/// </para>
/// Unsafe: writes through <see cref="Unsafe.Add{T}(ref T, nint)"/>; the RequiredBytes check is the only bounds check.
/// </summary>
internal ref struct MessagePackInstrumentFastWriter
{
    public const int RequiredBytes = ValueByValueBytes > VectorBookBytes ? ValueByValueBytes : VectorBookBytes;

    /// <summary>
    /// The most scratch bytes left past the instrument's end: the asks' 64-byte store from the shortest side (its header
    /// and five levels of two fixints). Less than two of the shortest instruments take, so two instruments written
    /// after it cover it (the 8-byte stores of the value by value path leave less).
    /// </summary>
    public const int MaxScratch = MessagePackBookVectorWriter.StoreLength - ShortestSide;

    private const int ShortestSide = 1 + (OrderBookLevels.Count * 3);
    private const int ShortestInstrument = 1 + 5 + (2 * ShortestSide);

    // Checked when compiled (a negative difference is no uint constant).
    private const uint TwoInstrumentsCoverTheScratch = (uint)((2 * ShortestInstrument) - MaxScratch - 1);

    // Value by value: the longest instrument plus one 8-byte store past its last value. With the vector book: the
    // longest header and scalars, then the book's two 64-byte stores.
    private const int ValueByValueBytes = MessagePackSnapshotLayout.MaxInstrumentLength + sizeof(ulong);
    private const int VectorBookBytes = MessagePackSnapshotLayout.MaxScalarsLength + MessagePackBookVectorWriter.MaxReach;

    // A cursor rather than static methods with ref parameters: a local whose address is passed stays in memory, and
    // the offset is the critical path; the fields of this local struct are promoted to registers once inlined.
    private readonly ref byte _start;
    private nint _offset;

    private MessagePackInstrumentFastWriter(ref byte start)
    {
        _start = ref start;
        _offset = 0;
    }

    /// <summary>Writes the instrument at the start of <paramref name="window"/> and returns its length; 0 if the window is too short.</summary>
    public static int TryWrite(Span<byte> window, in InstrumentSnapshot instrument, ref MessagePackBookVectorWriter books)
    {
        if (window.Length < RequiredBytes)
        {
            return 0;
        }

        var writer = new MessagePackInstrumentFastWriter(ref MemoryMarshal.GetReference(window));
        writer.WriteByte(MessagePackSnapshotLayout.InstrumentArrayCode);
        writer.WriteInteger(instrument.InstrumentId);
        writer.WriteInteger(instrument.LastPrice);
        writer.WriteInteger(instrument.Volume);
        writer.WriteInteger(instrument.Turnover);
        writer.WriteInteger(instrument.ExchangeTimestampNs);
        // Both sides at once where the CPU has AVX-512 VBMI (and no value is negative), else value by value.
        int bookLength = MessagePackBookVectorWriter.IsSupported ? books.TryWrite(ref Unsafe.Add(ref writer._start, writer._offset), in instrument) : 0;
        if (bookLength != 0)
        {
            return (int)writer._offset + bookLength;
        }

        writer.WriteLevels(in instrument.Bids);
        writer.WriteLevels(in instrument.Asks);
        return (int)writer._offset;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteLevels(in OrderBookLevels levels)
    {
        WriteByte(MessagePackSnapshotLayout.LevelsArrayCode);
        for (int level = 0; level < OrderBookLevels.Count; level++)
        {
            WriteByte(MessagePackSnapshotLayout.LevelArrayCode);
            WriteInteger(levels[level].Price);
            WriteInteger(levels[level].Quantity);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteByte(byte value)
    {
        Unsafe.Add(ref _start, _offset) = value;
        _offset++;
    }

    /// <summary>
    /// Branches on the value's range rather than computing the width: a computed width puts the next write's address
    /// behind ~10 cycles of arithmetic per value, while a predicted branch adds a constant (a field keeps its width from
    /// instrument to instrument, so the branches predict).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteInteger(long value)
    {
        if ((ulong)value <= 0x7F)
        {
            WriteByte((byte)value); // positive fixint
        }
        else if ((ulong)value <= ushort.MaxValue)
        {
            if (value <= byte.MaxValue)
            {
                WriteCodeAndBigEndian(0xCC, (ulong)value, widthLog2: 0); // uint 8
            }
            else
            {
                WriteCodeAndBigEndian(0xCD, (ulong)value, widthLog2: 1); // uint 16
            }
        }
        else if ((ulong)value <= uint.MaxValue)
        {
            WriteCodeAndBigEndian(0xCE, (ulong)value, widthLog2: 2); // uint 32
        }
        else if (value > 0)
        {
            WriteCodeAndBigEndian(0xCF, (ulong)value, widthLog2: 3); // uint 64
        }
        else
        {
            _offset += WriteNegative(ref Unsafe.Add(ref _start, _offset), value);
        }
    }

    /// <summary>
    /// Negative fixint from -32, then int 8, 16, 32, 64 (0xD0..0xD3); returns the bytes written. Static and given
    /// only a destination, so the cursor's address never escapes and its fields stay in registers.
    /// </summary>
    private static int WriteNegative(ref byte destination, long value)
    {
        var writer = new MessagePackInstrumentFastWriter(ref destination);
        if (value >= -32)
        {
            writer.WriteByte(unchecked((byte)value));
        }
        else
        {
            // The bit length of ~value besides the sign, doubled so the unsigned thresholds apply (down to -128: int 8).
            int bits = 64 - BitOperations.LeadingZeroCount(~(ulong)value << 1);
            int widthLog2 = (bits > 8 ? 1 : 0) + (bits > 16 ? 1 : 0) + (bits > 32 ? 1 : 0);
            writer.WriteCodeAndBigEndian((byte)(0xD0 + widthLog2), (ulong)value, widthLog2);
        }

        return (int)writer._offset;
    }

    /// <summary>The code byte, then the value's low 2^widthLog2 bytes big-endian, with one 8-byte store.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteCodeAndBigEndian(byte code, ulong value, int widthLog2)
    {
        int width = 1 << widthLog2;
        Unsafe.Add(ref _start, _offset) = code;
        ulong top = value << (64 - (8 * width)); // the value's bytes at the top of the word (width 8: shift 0)
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref _start, _offset + 1), BinaryPrimitives.ReverseEndianness(top));
        _offset += 1 + width;
    }
}
