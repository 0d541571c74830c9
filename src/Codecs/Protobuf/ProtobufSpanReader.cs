using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace ShmIpc.Codecs.Protobuf;

/// <summary>
/// Reads protobuf wire values from a span, checking every length against what is left: a truncated value, a varint
/// longer than 10 bytes, a length past the end or a group (not in <c>snapshot.proto</c>; skipping one needs nesting)
/// throws <see cref="SnapshotFormatException"/>, never an out-of-bounds read.
/// </summary>
internal ref struct ProtobufSpanReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;

    public ProtobufSpanReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    public readonly bool IsAtEnd => _position >= _buffer.Length;

    public readonly int Position => _position;

    /// <summary>A tag: a varint of at most 32 bits whose field number is not 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint ReadTag()
    {
        if (_position < _buffer.Length && _buffer[_position] is >= 8 and < 0x80)
        {
            return _buffer[_position++];
        }

        return ReadTagSlow();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadVarint()
    {
        if (_position < _buffer.Length && _buffer[_position] < 0x80)
        {
            return _buffer[_position++];
        }

        return _buffer.Length - _position >= sizeof(ulong) ? ReadVarintFromWord() : ReadVarintSlow();
    }

    /// <summary>
    /// A varint that ends within the next 8 bytes, from one 8-byte load: the first clear top bit marks its end and the
    /// 7-bit groups are packed with one bit extract where the CPU has it. Longer ones go byte by byte.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong ReadVarintFromWord()
    {
        ulong word = BinaryPrimitives.ReadUInt64LittleEndian(_buffer[_position..]);
        ulong ends = ~word & 0x8080808080808080UL;
        if (ends == 0 || !System.Runtime.Intrinsics.X86.Bmi2.X64.IsSupported)
        {
            return ReadVarintSlow();
        }

        int length = (System.Numerics.BitOperations.TrailingZeroCount(ends) >> 3) + 1;
        _position += length;
        ulong kept = length == sizeof(ulong) ? word : word & ((1UL << (length * 8)) - 1);
        return System.Runtime.Intrinsics.X86.Bmi2.X64.ParallelBitExtract(kept, 0x7F7F7F7F7F7F7F7FUL);
    }

    public long ReadFixed64()
    {
        if (_buffer.Length - _position < sizeof(long))
        {
            Throw("fixed64 value truncated");
        }

        long value = BinaryPrimitives.ReadInt64LittleEndian(_buffer[_position..]);
        _position += sizeof(long);
        return value;
    }

    /// <summary>A length-delimited field's contents (in place).</summary>
    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        ulong length = ReadVarint();
        if (length > (ulong)(_buffer.Length - _position))
        {
            Throw($"length {length} runs past the end ({_buffer.Length - _position} bytes left)");
        }

        ReadOnlySpan<byte> contents = _buffer.Slice(_position, (int)length);
        _position += (int)length;
        return contents;
    }

    /// <summary>Skips the value of an unknown field of <paramref name="tag"/>'s wire type.</summary>
    public void SkipValue(uint tag)
    {
        switch ((int)(tag & 7))
        {
            case ProtobufWireFormat.WireTypeVarint:
                ReadVarint();
                break;
            case ProtobufWireFormat.WireTypeFixed64:
                ReadFixed64();
                break;
            case ProtobufWireFormat.WireTypeLengthDelimited:
                ReadLengthDelimited();
                break;
            case ProtobufWireFormat.WireTypeFixed32:
                if (_buffer.Length - _position < sizeof(int))
                {
                    Throw("fixed32 value truncated");
                }

                _position += sizeof(int);
                break;
            default:
                Throw($"field {tag >> 3} has wire type {tag & 7} (groups are not part of snapshot.proto)");
                break;
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Throw(string problem) => SnapshotFormatException.Throw(ProtobufSnapshotCodec.CodecName, problem);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private uint ReadTagSlow()
    {
        if (IsAtEnd)
        {
            Throw("tag truncated");
        }

        ulong tag = ReadVarintSlow();
        if (tag > uint.MaxValue || (tag >> 3) == 0)
        {
            Throw($"invalid tag {tag}");
        }

        return (uint)tag;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ulong ReadVarintSlow()
    {
        ulong value = 0;
        for (int shift = 0; shift < 7 * ProtobufWireFormat.MaxVarintLength; shift += 7)
        {
            if (_position >= _buffer.Length)
            {
                Throw("varint truncated");
            }

            byte next = _buffer[_position++];
            value |= (ulong)(next & 0x7F) << shift;
            if (next < 0x80)
            {
                return value;
            }
        }

        Throw($"varint longer than {ProtobufWireFormat.MaxVarintLength} bytes");
        return 0;
    }
}
