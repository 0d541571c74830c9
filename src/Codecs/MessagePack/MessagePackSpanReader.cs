using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace ShmIpc.Codecs.MessagePack;

/// <summary>
/// MessagePack's primitives over a contiguous <see cref="ReadOnlySpan{T}"/>, every one checked: array headers and
/// integers of any encoding, each read against the bytes left and the target's range (the counterpart of
/// <see cref="MessagePackSpanWriter"/>). A TryRead that fails returns false and consumes nothing, so the reader stays
/// on the bad value and <see cref="DescribeArrayHeaderProblem"/> / <see cref="DescribeIntegerProblem"/> say what is
/// there; they are out of line and only run on bad input. The other half of the primitive layer is
/// <see cref="MessagePackUncheckedReader"/>, which reads a whole instrument with one bounds check.
/// </summary>
internal ref struct MessagePackSpanReader
{
    private readonly ReadOnlySpan<byte> _source;
    private int _position;

    public MessagePackSpanReader(ReadOnlySpan<byte> source)
    {
        _source = source;
        _position = 0;
    }

    /// <summary>Bytes consumed so far.</summary>
    public readonly int Position => _position;

    /// <summary>A fixarray, array 16 or array 32 header of at most <see cref="int.MaxValue"/> elements.</summary>
    public bool TryReadArrayHeader(out int count)
    {
        count = 0;
        int position = _position;
        if ((uint)position >= (uint)_source.Length)
        {
            return false;
        }

        byte code = _source[position];
        if (code is >= 0x90 and <= 0x9F)
        {
            count = code & 0x0F; // fixarray
            _position = position + 1;
            return true;
        }

        int length = ArrayHeaderLength(code);
        if (length == 0 || _source.Length - position < length)
        {
            return false;
        }

        uint wide = length == 3
            ? BinaryPrimitives.ReadUInt16BigEndian(_source.Slice(position + 1, 2)) // array 16
            : BinaryPrimitives.ReadUInt32BigEndian(_source.Slice(position + 1, 4)); // array 32
        if (wide > int.MaxValue)
        {
            return false;
        }

        count = (int)wide;
        _position = position + length;
        return true;
    }

    /// <summary>
    /// Any MessagePack integer that fits in 64 signed bits. Table-driven: one 8-byte big-endian load covers every
    /// width and the table says how many of its bytes belong to the value (why not branches, as the unchecked reader
    /// does: <see cref="MessagePackUncheckedReader"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadInt64(out long value)
    {
        int position = _position;
        if ((uint)position >= (uint)_source.Length)
        {
            value = 0;
            return false;
        }

        byte code = _source[position];
        IntegerFormat format = IntegerFormats[code];
        int length = format.Length;
        if (length == 0)
        {
            return TryReadFixInt(code, out value);
        }

        if (_source.Length - position < 9)
        {
            return TryReadInt64NearEnd(format, out value);
        }

        ulong word = BinaryPrimitives.ReadUInt64BigEndian(_source.Slice(position + 1, 8));
        // Keep the payload's bytes (the top length-1 of the word), then sign- or zero-extend them.
        int unusedBits = 64 - (8 * (length - 1));
        value = format.Signed ? (long)word >> unusedBits : (long)(word >> unusedBits);
        if (!format.Signed && value < 0)
        {
            value = 0;
            return false; // a uint 64 above long.MaxValue
        }

        _position = position + length;
        return true;
    }

    /// <summary>Any MessagePack integer that fits in 32 signed bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadInt32(out int value)
    {
        int start = _position;
        if (!TryReadInt64(out long wide) || wide is < int.MinValue or > int.MaxValue)
        {
            _position = start;
            value = 0;
            return false;
        }

        value = (int)wide;
        return true;
    }

    /// <summary>Why <see cref="TryReadArrayHeader"/> failed at <see cref="Position"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public readonly string DescribeArrayHeaderProblem()
    {
        if (_position >= _source.Length)
        {
            return Truncated(1);
        }

        byte code = _source[_position];
        int length = ArrayHeaderLength(code);
        if (length == 0)
        {
            return $"expected an array header, found type code 0x{code:X2} at byte {_position}";
        }

        return _source.Length - _position < length
            ? Truncated(length)
            : $"array length {BinaryPrimitives.ReadUInt32BigEndian(_source.Slice(_position + 1, 4))} is out of range";
    }

    /// <summary>Why <see cref="TryReadInt64"/> (<paramref name="bits"/> 64) or <see cref="TryReadInt32"/> (32) failed at <see cref="Position"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public readonly string DescribeIntegerProblem(int bits)
    {
        if (_position >= _source.Length)
        {
            return Truncated(1);
        }

        byte code = _source[_position];
        int length = code is <= 0x7F or >= 0xE0 ? 1 : IntegerFormats[code].Length;
        if (length == 0)
        {
            return $"expected an integer, found type code 0x{code:X2} at byte {_position}";
        }

        if (_source.Length - _position < length)
        {
            return Truncated(length);
        }

        MessagePackSpanReader probe = this;
        return probe.TryReadInt64(out long value)
            ? $"value {value} at byte {_position} does not fit in {bits} bits"
            : $"value {BinaryPrimitives.ReadUInt64BigEndian(_source.Slice(_position + 1, 8))} does not fit in 64 signed bits";
    }

    /// <summary>A fixint (the value is the code), or not an integer at all.</summary>
    private bool TryReadFixInt(byte code, out long value)
    {
        if (code <= 0x7F || code >= 0xE0)
        {
            _position++;
            value = code >= 0xE0 ? (sbyte)code : code;
            return true;
        }

        value = 0;
        return false;
    }

    /// <summary>Within 8 bytes of the end the one wide load would overrun: read exactly what the format needs.</summary>
    private bool TryReadInt64NearEnd(IntegerFormat format, out long value)
    {
        value = 0;
        int payload = format.Length - 1;
        if (_source.Length - _position < format.Length)
        {
            return false;
        }

        ulong word = 0;
        foreach (byte part in _source.Slice(_position + 1, payload))
        {
            word = (word << 8) | part;
        }

        int unusedBits = 64 - (8 * payload);
        long result = format.Signed ? (long)(word << unusedBits) >> unusedBits : (long)word;
        if (!format.Signed && result < 0)
        {
            return false;
        }

        _position += format.Length;
        value = result;
        return true;
    }

    private readonly string Truncated(int needed) =>
        $"truncated: {needed} bytes needed at byte {_position}, {_source.Length - _position} left";

    /// <summary>Encoded length of an array 16 or array 32 header (code byte included); 0: not one.</summary>
    private static int ArrayHeaderLength(byte code) => code switch
    {
        0xDC => 3,
        0xDD => 5,
        _ => 0,
    };

    /// <summary>Encoded length (code byte included) and signedness per type code; length 0: fixint or not an integer.</summary>
    private static readonly IntegerFormat[] IntegerFormats = BuildIntegerFormats();

    private static IntegerFormat[] BuildIntegerFormats()
    {
        var formats = new IntegerFormat[256];
        formats[0xCC] = new(2, Signed: false); // uint 8
        formats[0xCD] = new(3, Signed: false); // uint 16
        formats[0xCE] = new(5, Signed: false); // uint 32
        formats[0xCF] = new(9, Signed: false); // uint 64
        formats[0xD0] = new(2, Signed: true);  // int 8
        formats[0xD1] = new(3, Signed: true);  // int 16
        formats[0xD2] = new(5, Signed: true);  // int 32
        formats[0xD3] = new(9, Signed: true);  // int 64
        return formats;
    }

    private readonly record struct IntegerFormat(byte Length, bool Signed);
}
