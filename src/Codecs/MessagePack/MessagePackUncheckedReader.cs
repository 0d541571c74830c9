using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ShmIpc.Codecs.MessagePack;

/// <summary>
/// Reads one instrument (<see cref="MessagePackSnapshotLayout"/>) with no per-value bounds check, for a window that
/// holds at least <see cref="RequiredBytes"/> bytes: the longest instrument this reader can walk (every integer in
/// its widest, 9-byte form, valid MessagePack even for a small value) plus the 8 bytes one wide integer load may read
/// past a value. That one check per instrument replaces ~38 per-value checks.
/// <para>
/// It accepts only the shape the writer emits (fixarray headers, integer codes) and values in range; anything else
/// (an array 16 header holding the same count, a nil, a value too big) returns 0 without touching the checksum, and
/// the caller re-reads the instrument with the checking <see cref="MessagePackSpanReader"/>, which accepts every
/// valid encoding and names what is wrong. Headers are compared, not branched on: their result is OR-ed into one
/// "off the fast path" flag, so the next read's address never waits on them.
/// </para>
/// <para>
/// Integers branch on the type code. Decoding MessagePack is one serial chain (where a value ends depends on its
/// type byte); a predicted branch lets the CPU run ahead of that load, and in market data each field keeps its
/// width from instrument to instrument (a price is a uint 32, a timestamp a uint 64), so the branches predict.
/// </para>
/// Unsafe: reads through <see cref="Unsafe.Add{T}(ref T, nint)"/> within the window; the RequiredBytes check is the
/// only bounds check: each header advances 1 byte and each integer at most 9, so no read reaches RequiredBytes.
/// </summary>
internal ref struct MessagePackInstrumentFastReader
{
    public const int RequiredBytes = LongestInstrument + sizeof(ulong);

    // 13 one-byte headers (instrument, bids, asks, 10 levels) and 25 integers of at most 9 bytes each.
    private const int HeaderCount = 1 + 2 + (2 * OrderBookLevels.Count);
    private const int IntegerCount = 5 + (2 * OrderBookLevels.Count * MessagePackSnapshotLayout.LevelFieldCount);
    private const int LongestInstrument = HeaderCount + (IntegerCount * 9);

    /// <summary>
    /// Reads the instrument at the start of <paramref name="window"/> (at least <see cref="RequiredBytes"/> long) into
    /// <paramref name="checksum"/> and returns its length, or returns 0 and leaves the checksum alone.
    /// </summary>
    // A cursor rather than static methods with ref parameters: a local whose address is passed stays in memory, and
    // the offset is the critical path; the fields of this local struct are promoted to registers once inlined.
    private readonly ref byte _start;
    private nint _offset;
    private bool _offPath;

    // The OR of every 32-bit field read as a uint 32: its top bit set means one of them exceeds int.MaxValue.
    private uint _unsigned32Bits;

    private MessagePackInstrumentFastReader(ref byte start)
    {
        _start = ref start;
        _offset = 0;
        _offPath = false;
        _unsigned32Bits = 0;
    }

    /// <summary>
    /// Reads the instrument at the start of <paramref name="window"/> (at least <see cref="RequiredBytes"/> long) into
    /// <paramref name="checksum"/> and returns its length, or returns 0 and leaves the checksum alone.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int TryRead(ReadOnlySpan<byte> window, ref SnapshotChecksum checksum)
    {
        if (window.Length < RequiredBytes)
        {
            return 0;
        }

        var reader = new MessagePackInstrumentFastReader(ref MemoryMarshal.GetReference(window));
        SnapshotChecksum sum = checksum;
        reader.ExpectHeader(MessagePackSnapshotLayout.InstrumentArrayCode);
        sum.Add(reader.ReadInt32());
        sum.Add(reader.ReadInt32());
        sum.Add(reader.ReadInt64());
        sum.Add(reader.ReadInt64());
        sum.Add(reader.ReadInt64());
        reader.ReadLevels(ref sum);
        reader.ReadLevels(ref sum);
        if (reader._offPath || (int)reader._unsigned32Bits < 0)
        {
            return 0;
        }

        checksum = sum;
        return (int)reader._offset;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ReadLevels(ref SnapshotChecksum sum)
    {
        ExpectHeader(MessagePackSnapshotLayout.LevelsArrayCode);
        for (int level = 0; level < OrderBookLevels.Count; level++)
        {
            ExpectHeader(MessagePackSnapshotLayout.LevelArrayCode);
            sum.Add(ReadInt32());
            sum.Add(ReadInt32());
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ExpectHeader(byte code)
    {
        _offPath |= Unsafe.Add(ref _start, _offset) != code;
        _offset++;
    }

    /// <summary>
    /// A 32-bit field: the same codes as <see cref="ReadInt64"/>, with the range check where a value can exceed it
    /// (a uint 16 or a fixint cannot; a uint 32 can, and is folded into one check per instrument).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int ReadInt32()
    {
        byte code = Unsafe.Add(ref _start, _offset);
        if (code <= 0x7F)
        {
            _offset += 1;
            return code;
        }

        ulong word = WordAfterCode();
        if (code == 0xCE)
        {
            _offset += 5;
            uint value = (uint)(word >> 32);
            _unsigned32Bits |= value;
            return (int)value;
        }

        if (code == 0xCD)
        {
            _offset += 3;
            return (int)(word >> 48);
        }

        long other = ReadRareInt64(code, word);
        _offPath |= other != (int)other;
        return (int)other;
    }

    /// <summary>The common codes inline (positive fixint, uint 16, uint 32, uint 64); the rest out of line.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long ReadInt64()
    {
        byte code = Unsafe.Add(ref _start, _offset);
        if (code <= 0x7F)
        {
            _offset += 1;
            return code;
        }

        ulong word = WordAfterCode();
        if (code == 0xCE)
        {
            _offset += 5;
            return (long)(word >> 32);
        }

        if (code == 0xCD)
        {
            _offset += 3;
            return (long)(word >> 48);
        }

        return ReadRareInt64(code, word);
    }

    /// <summary>The 8 bytes after the type code, big-endian: a value of any width is the top of this word.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly ulong WordAfterCode() =>
        BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref _start, _offset + 1)));

    /// <summary>uint 64 and the codes <see cref="ReadOtherInt64"/> decodes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long ReadRareInt64(byte code, ulong word)
    {
        if (code == 0xCF)
        {
            _offset += 9;
            _offPath |= (long)word < 0; // above long.MaxValue
            return (long)word;
        }

        (long value, int length) = ReadOtherInt64(code, word);
        _offset += length;
        _offPath |= length == 0;
        return value;
    }

    /// <summary>uint 8, the signed formats and negative fixint, with their encoded length; length 0: not an integer.</summary>
    private static (long Value, int Length) ReadOtherInt64(byte code, ulong word) => code switch
    {
        0xCC => ((long)(word >> 56), 2),
        0xD0 => ((long)word >> 56, 2),
        0xD1 => ((long)word >> 48, 3),
        0xD2 => ((long)word >> 32, 5),
        0xD3 => ((long)word, 9),
        >= 0xE0 => ((sbyte)code, 1),
        _ => (0, 0), // not an integer: stop advancing; the flag discards the result and the checking reader names it
    };
}
