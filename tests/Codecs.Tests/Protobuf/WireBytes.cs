using System.Buffers.Binary;

namespace ShmIpc.Codecs.Tests.Protobuf;

/// <summary>
/// Builds protobuf wire bytes by hand, including what Google.Protobuf never writes but every parser must accept
/// (non-minimal varints, unpacked repeated fields, fields out of order, unknown fields).
/// </summary>
internal sealed class WireBytes
{
    private readonly List<byte> _bytes = [];

    public byte[] ToArray() => [.. _bytes];

    public WireBytes Tag(int field, int wireType) => Varint((ulong)((field << 3) | wireType));

    /// <summary>The varint of <paramref name="value"/>, padded with continuation bytes to at least <paramref name="minLength"/>.</summary>
    public WireBytes Varint(ulong value, int minLength = 1)
    {
        int written = 0;
        while (value >= 0x80 || written + 1 < minLength)
        {
            _bytes.Add((byte)(value | 0x80));
            value >>= 7;
            written++;
        }

        _bytes.Add((byte)value);
        return this;
    }

    public WireBytes Int32(int field, int value, int minLength = 1) => Tag(field, 0).Varint((ulong)(long)value, minLength);

    public WireBytes Int64(int field, long value) => Tag(field, 0).Varint((ulong)value);

    public WireBytes Fixed64(int field, long value)
    {
        Tag(field, 1);
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        _bytes.AddRange(bytes.ToArray());
        return this;
    }

    public WireBytes Fixed32(int field, int value)
    {
        Tag(field, 5);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        _bytes.AddRange(bytes.ToArray());
        return this;
    }

    public WireBytes LengthDelimited(int field, byte[] contents)
    {
        Tag(field, 2).Varint((ulong)contents.Length);
        _bytes.AddRange(contents);
        return this;
    }

    /// <summary>An instrument's book as the writers emit it: bid prices, bid quantities, ask prices, ask quantities, each packed.</summary>
    public WireBytes Book(in InstrumentSnapshot instrument)
    {
        int[][] fields = [new int[OrderBookLevels.Count], new int[OrderBookLevels.Count], new int[OrderBookLevels.Count], new int[OrderBookLevels.Count]];
        for (int level = 0; level < OrderBookLevels.Count; level++)
        {
            (fields[0][level], fields[1][level]) = (instrument.Bids[level].Price, instrument.Bids[level].Quantity);
            (fields[2][level], fields[3][level]) = (instrument.Asks[level].Price, instrument.Asks[level].Quantity);
        }

        return Packed(ShmIpc.Codecs.Protobuf.ProtobufWireFormat.BidPricesField, fields[0])
            .Packed(ShmIpc.Codecs.Protobuf.ProtobufWireFormat.BidQuantitiesField, fields[1])
            .Packed(ShmIpc.Codecs.Protobuf.ProtobufWireFormat.AskPricesField, fields[2])
            .Packed(ShmIpc.Codecs.Protobuf.ProtobufWireFormat.AskQuantitiesField, fields[3]);
    }

    public WireBytes Packed(int field, params int[] values)
    {
        var data = new WireBytes();
        foreach (int value in values)
        {
            data.Varint((ulong)(long)value);
        }

        return LengthDelimited(field, data.ToArray());
    }
}
