using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace ShmIpc.Codecs.MessagePack;

/// <summary>
/// MessagePack's primitives with no bounds check, for a window whose length the caller checked once: each
/// <see cref="ExpectArrayHeader"/> advances <see cref="ArrayHeaderLength"/> byte, each integer at most
/// <see cref="MaxIntegerLength"/>, and a read may load up to <see cref="LoadOverrun"/> bytes past the value it decodes,
/// so a window of (headers × 1 + integers × 9 + 8) bytes holds any walk of that many reads. It accepts only the shape
/// writers emit (fixarray headers, integer codes) and values in range; anything else (an array 16 header, a nil, a
/// value too big) sets <see cref="IsOffPath"/> and the caller re-reads with the checking
/// <see cref="MessagePackSpanReader"/>, which accepts every valid encoding and names what is wrong. Headers are
/// compared, not branched on: the result is OR-ed into the flag, so the next read's address never waits on them.
/// <para>
/// Integers branch on the type code here, where <see cref="MessagePackSpanReader"/> looks the format up in a table,
/// and both are right for one reason: a branch on the type code predicts only if it always sees the same field.
/// Decoding MessagePack is one serial chain (where a value ends depends on its type byte), and a predicted branch lets
/// the CPU run ahead of that load. In market data a field keeps its width from instrument to instrument (a price is a
/// uint 32, a timestamp a uint 64) while neighbouring fields differ. Every read here is inlined into the snapshot
/// reader's walk, so each field (and each side's price and quantity) has branches of its own, and they predict. The
/// checking reader's 32-bit read is one body shared by fields whose type codes alternate, so it takes the width from
/// a table instead of branching on it.
/// </para>
/// Unsafe: reads through <see cref="Unsafe.Add{T}(ref T, nint)"/> within the window the caller checked.
/// </summary>
internal ref struct MessagePackUncheckedReader
{
    /// <summary>Bytes one <see cref="ExpectArrayHeader"/> advances: a fixarray header.</summary>
    public const int ArrayHeaderLength = 1;

    /// <summary>Most bytes one integer read advances: a type code and 8 bytes.</summary>
    public const int MaxIntegerLength = 9;

    /// <summary>Bytes a read may load past the value it decodes (one 8-byte load after the type code).</summary>
    public const int LoadOverrun = sizeof(ulong);

    // A cursor rather than static methods with ref parameters: a local whose address is passed stays in memory, and
    // the offset is the critical path; the fields of this local struct are promoted to registers once inlined.
    private readonly ref byte _start;
    private nint _offset;
    private bool _offPath;

    // The OR of every 32-bit field read as a uint 32: its top bit set means one of them exceeds int.MaxValue.
    private uint _unsigned32Bits;

    public MessagePackUncheckedReader(ref byte start)
    {
        _start = ref start;
        _offset = 0;
        _offPath = false;
        _unsigned32Bits = 0;
    }

    /// <summary>Bytes read so far.</summary>
    public readonly int Length => (int)_offset;

    /// <summary>True when a read met something this reader does not take: discard what it read.</summary>
    public readonly bool IsOffPath => _offPath || (int)_unsigned32Bits < 0;

    /// <summary>The next byte to read, for a reader of a larger part that then <see cref="Advance"/>s past it.</summary>
    public readonly ref byte Next => ref Unsafe.Add(ref _start, _offset);

    /// <summary>Moves past <paramref name="length"/> bytes another reader took from <see cref="Next"/>.</summary>
    public void Advance(int length) => _offset += length;

    /// <summary>Expects the fixarray header <paramref name="code"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ExpectArrayHeader(byte code)
    {
        _offPath |= Unsafe.Add(ref _start, _offset) != code;
        _offset++;
    }

    /// <summary>
    /// A 32-bit field: the same codes as <see cref="ReadInt64"/>, with the range check where a value can exceed it
    /// (a uint 16 or a fixint cannot; a uint 32 can, and is folded into one check per walk).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReadInt32()
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
    public long ReadInt64()
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
