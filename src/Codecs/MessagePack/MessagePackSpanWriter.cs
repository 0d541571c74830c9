using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace ShmIpc.Codecs.MessagePack;

/// <summary>
/// Writes MessagePack array headers and integers straight into a <see cref="Span{T}"/> (the library's
/// <c>MessagePackWriter</c> needs an <c>IBufferWriter</c>, which a claimed ring slot is not). Integers
/// take the smallest encoding for the value, byte for byte as <c>MessagePackWriter.Write(long)</c>
/// (a test compares with the library). Every write checks the space left and throws
/// <see cref="ArgumentException"/> when the destination is too small.
/// </summary>
internal ref struct MessagePackSpanWriter
{
    private readonly Span<byte> _destination;
    private int _position;

    public MessagePackSpanWriter(Span<byte> destination)
    {
        _destination = destination;
        _position = 0;
    }

    /// <summary>Bytes written so far.</summary>
    public readonly int Position => _position;

    public void WriteArrayHeader(int count)
    {
        if (count <= 15)
        {
            Reserve(1)[0] = (byte)(0x90 | count); // fixarray
        }
        else if (count <= ushort.MaxValue)
        {
            Span<byte> bytes = Reserve(3);
            bytes[0] = 0xDC; // array 16
            BinaryPrimitives.WriteUInt16BigEndian(bytes[1..], (ushort)count);
        }
        else
        {
            Span<byte> bytes = Reserve(5);
            bytes[0] = 0xDD; // array 32
            BinaryPrimitives.WriteUInt32BigEndian(bytes[1..], (uint)count);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(long value)
    {
        if (value >= 0)
        {
            if (value <= 0x7F)
            {
                Reserve(1)[0] = (byte)value; // positive fixint
            }
            else if (value <= byte.MaxValue)
            {
                Span<byte> bytes = Reserve(2);
                bytes[0] = 0xCC; // uint 8
                bytes[1] = (byte)value;
            }
            else if (value <= ushort.MaxValue)
            {
                Span<byte> bytes = Reserve(3);
                bytes[0] = 0xCD; // uint 16
                BinaryPrimitives.WriteUInt16BigEndian(bytes[1..], (ushort)value);
            }
            else if (value <= uint.MaxValue)
            {
                Span<byte> bytes = Reserve(5);
                bytes[0] = 0xCE; // uint 32
                BinaryPrimitives.WriteUInt32BigEndian(bytes[1..], (uint)value);
            }
            else
            {
                Span<byte> bytes = Reserve(9);
                bytes[0] = 0xCF; // uint 64
                BinaryPrimitives.WriteUInt64BigEndian(bytes[1..], (ulong)value);
            }
        }
        else if (value >= -32)
        {
            Reserve(1)[0] = unchecked((byte)value); // negative fixint
        }
        else if (value >= sbyte.MinValue)
        {
            Span<byte> bytes = Reserve(2);
            bytes[0] = 0xD0; // int 8
            bytes[1] = unchecked((byte)value);
        }
        else if (value >= short.MinValue)
        {
            Span<byte> bytes = Reserve(3);
            bytes[0] = 0xD1; // int 16
            BinaryPrimitives.WriteInt16BigEndian(bytes[1..], (short)value);
        }
        else if (value >= int.MinValue)
        {
            Span<byte> bytes = Reserve(5);
            bytes[0] = 0xD2; // int 32
            BinaryPrimitives.WriteInt32BigEndian(bytes[1..], (int)value);
        }
        else
        {
            Span<byte> bytes = Reserve(9);
            bytes[0] = 0xD3; // int 64
            BinaryPrimitives.WriteInt64BigEndian(bytes[1..], value);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Reserve(int length)
    {
        if (length > _destination.Length - _position)
        {
            ThrowTooSmall(_destination.Length);
        }

        Span<byte> reserved = _destination.Slice(_position, length);
        _position += length;
        return reserved;
    }

    private static void ThrowTooSmall(int length) =>
        throw new ArgumentException($"msgpack: destination of {length} bytes is too small for this snapshot (GetMaxEncodedLength is always enough)", "destination");
}
