using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace ShmIpc.Codecs.MessagePack;

/// <summary>
/// Reads MessagePack array headers and integers straight from a contiguous <see cref="ReadOnlySpan{T}"/>,
/// checking every value: the counterpart of <see cref="MessagePackSpanWriter"/>. The codec reads the
/// snapshot's header with it, and any instrument <see cref="MessagePackInstrumentFastReader"/> declines
/// (near the end of the input, an unusual but valid encoding, bad input). Every read checks the bytes
/// left and the value's range, and throws <see cref="SnapshotFormatException"/>.
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

    public readonly bool End => _position == _source.Length;

    public int ReadArrayHeader()
    {
        byte code = Take(1)[0];
        if (code is >= 0x90 and <= 0x9F)
        {
            return code & 0x0F; // fixarray
        }
        long count = code switch
        {
            0xDC => BinaryPrimitives.ReadUInt16BigEndian(Take(2)), // array 16
            0xDD => BinaryPrimitives.ReadUInt32BigEndian(Take(4)), // array 32
            _ => throw Problem($"expected an array header, found type code 0x{code:X2}"),
        };
        if (count > int.MaxValue)
        {
            throw Problem($"array length {count} is out of range");
        }
        return (int)count;
    }

    /// <summary>
    /// Reads any MessagePack integer. Table-driven rather than a switch on the type code: in a
    /// snapshot the code changes from value to value (fixint, uint 16, uint 32, int 64 ...), and a
    /// mispredicted branch per value costs more than the decode itself. One 8-byte big-endian load
    /// covers every width; the table says how many of its bytes belong to the value.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long ReadInt64()
    {
        int position = _position;
        if ((uint)position >= (uint)_source.Length)
        {
            ThrowTruncated(1);
        }
        byte code = _source[position];
        IntegerFormat format = IntegerFormats[code];
        int length = format.Length;
        if (length == 0)
        {
            return ReadInt64Rare(code);
        }
        if (_source.Length - position < 9)
        {
            return ReadInt64NearEnd(code);
        }
        _position = position + length;
        ulong word = BinaryPrimitives.ReadUInt64BigEndian(_source.Slice(position + 1, 8));
        // Keep the payload's bytes (the top length-1 of the word), then sign- or zero-extend them.
        int unusedBits = 64 - (8 * (length - 1));
        long value = format.Signed ? (long)word >> unusedBits : (long)(word >> unusedBits);
        if (format.Signed || value >= 0)
        {
            return value;
        }
        ThrowOutOfRange(word);
        return 0;
    }

    public int ReadInt32()
    {
        int start = _position;
        long value = ReadInt64();
        if (value is < int.MinValue or > int.MaxValue)
        {
            throw Problem($"value {value} at byte {start} does not fit in 32 bits");
        }
        return (int)value;
    }

    /// <summary>A fixint (the value is the code), or not an integer at all.</summary>
    private long ReadInt64Rare(byte code)
    {
        if (code <= 0x7F || code >= 0xE0)
        {
            _position++;
            return code >= 0xE0 ? (sbyte)code : code;
        }
        throw Problem($"expected an integer, found type code 0x{code:X2} at byte {_position}");
    }

    /// <summary>Within 8 bytes of the end the one wide load would overrun: read exactly what the format needs.</summary>
    private long ReadInt64NearEnd(byte code)
    {
        IntegerFormat format = IntegerFormats[code];
        int payload = format.Length - 1;
        if (_source.Length - _position < format.Length)
        {
            ThrowTruncated(format.Length);
        }
        ulong word = 0;
        foreach (byte value in _source.Slice(_position + 1, payload))
        {
            word = (word << 8) | value;
        }
        _position += format.Length;
        int unusedBits = 64 - (8 * payload);
        long result = format.Signed ? (long)(word << unusedBits) >> unusedBits : (long)word;
        if (!format.Signed && result < 0)
        {
            ThrowOutOfRange(word);
        }
        return result;
    }

    private readonly void ThrowTruncated(int needed) =>
        throw Problem($"truncated: {needed} bytes needed at byte {_position}, {_source.Length - _position} left");

    private static void ThrowOutOfRange(ulong value) =>
        throw Problem($"value {value} does not fit in 64 signed bits");

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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> Take(int length)
    {
        int start = _position;
        if ((uint)length > (uint)(_source.Length - start))
        {
            throw Problem($"truncated: {length} bytes needed at byte {start}, {_source.Length - start} left");
        }
        _position = start + length;
        return _source.Slice(start, length);
    }

    private static SnapshotFormatException Problem(string problem) => new(MessagePackSnapshotCodec.CodecName, problem);
}
