using System.Buffers.Binary;

namespace ShmIpc.Codecs.Protobuf;

/// <summary>
/// Writes protobuf wire values at a position in a span. The caller has checked that the whole encoding fits (it computes
/// the length first), so each write relies on the span's own bounds check only.
/// </summary>
internal ref struct ProtobufSpanWriter
{
    private readonly Span<byte> _destination;
    private int _position;

    public ProtobufSpanWriter(Span<byte> destination)
    {
        _destination = destination;
        _position = 0;
    }

    public readonly int Position => _position;

    public void WriteByte(byte value) => _destination[_position++] = value;

    public void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _destination[_position++] = (byte)(value | 0x80);
            value >>= 7;
        }

        _destination[_position++] = (byte)value;
    }

    /// <summary>An int32 field's value: sign-extended, as protobuf requires (a negative takes 10 bytes).</summary>
    public void WriteInt32(int value) => WriteVarint((ulong)(long)value);

    public void WriteFixed64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_destination[_position..], value);
        _position += sizeof(long);
    }
}
